------------------------------ MODULE Failover ------------------------------
(***************************************************************************)
(* Primary-backup replication with automatic failover.                     *)
(*                                                                         *)
(* Clients write to the primary, which copies its log to the backups and  *)
(* acknowledges a write once every replica in the in-sync set holds it.   *)
(* A coordinator (ZooKeeper, etcd, a Sentinel quorum) watches the         *)
(* primary; when it cannot reach it, it promotes an in-sync backup under  *)
(* a new epoch, which then is the only in-sync replica: the others were   *)
(* following the old primary, and count again once they have caught up   *)
(* with the new one.                                                      *)
(*                                                                         *)
(* The coordinator cannot tell a crashed primary from a cut-off one: the  *)
(* old primary may be alive, or come back after a crash, still believing  *)
(* it is the primary. Epoch fencing stops this zombie: every server       *)
(* remembers the newest epoch it has seen and ignores a primary of an     *)
(* older one, and a primary acknowledges only while its epoch is current. *)
(* With Fencing = FALSE the failover reuses the epoch and nobody checks   *)
(* it: the old primary goes on accepting writes in the same epoch as the  *)
(* new one, and when the network heals it overwrites the new primary's   *)
(* log, losing writes that were acknowledged.                             *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Server,     \* the replicas
    Nil,        \* a model value: no server
    MaxWrite,   \* bound on client writes, to keep models finite
    MaxEpoch,   \* bound on epochs (so on failovers, with fencing)
    Fencing     \* TRUE: epochs are bumped on failover and checked

\* The server that starts as primary.
First == CHOOSE s \in Server : TRUE

Write == 1..MaxWrite

Epoch == 1..MaxEpoch

VARIABLES
    coordPrimary,   \* the coordinator's view: the primary ...
    coordEpoch,     \* ... its epoch ...
    inSync,         \* ... and the replicas guaranteed to hold every acknowledged write
    isPrimary,      \* isPrimary[s]: s believes it is the primary (kept on disk)
    epoch,          \* epoch[s]: the newest epoch s has seen (kept on disk)
    log,            \* log[s]: the writes s holds (kept on disk)
    up,             \* up[s]: s is running; a crash loses nothing on disk
    isolated,       \* the server cut off from everyone else by a partition, or Nil
    nextWrite,      \* the id of the next client write
    acked,          \* the writes acknowledged to clients
    writers         \* history: the pairs <<s, e>> such that s accepted a write in epoch e

vars == <<coordPrimary, coordEpoch, inSync, isPrimary, epoch, log, up, isolated,
          nextWrite, acked, writers>>

\* The writes s holds. A log is a set: write ids come from a counter, and a log only grows
\* by the newest id or is replaced by another log, so as a sequence it would always be the
\* ascending list of its writes, and its set says the same.
Holds(s) == log[s]

\* s is up and on the majority side of any partition: it can talk to the coordinator and
\* to the other servers that are.
Reachable(s) == up[s] /\ s /= isolated

TypeOK ==
    /\ coordPrimary \in Server
    /\ coordEpoch \in Epoch
    /\ inSync \subseteq Server
    /\ isPrimary \in [Server -> BOOLEAN]
    /\ epoch \in [Server -> Epoch]
    /\ log \in [Server -> SUBSET Write]
    /\ up \in [Server -> BOOLEAN]
    /\ isolated \in Server \cup {Nil}
    /\ nextWrite \in 1..MaxWrite + 1
    /\ acked \subseteq Write
    /\ writers \subseteq Server \X Epoch

Init ==
    /\ coordPrimary = First
    /\ coordEpoch = 1
    /\ inSync = Server
    /\ isPrimary = [s \in Server |-> s = First]
    /\ epoch = [s \in Server |-> 1]
    /\ log = [s \in Server |-> {}]
    /\ up = [s \in Server |-> TRUE]
    /\ isolated = Nil
    /\ nextWrite = 1
    /\ acked = {}
    /\ writers = {}

\* A client write reaches a server that believes it is the primary (clients on its side of
\* a partition can still reach it). It is appended, not yet acknowledged.
ClientWrite(p) ==
    /\ up[p]
    /\ isPrimary[p]
    /\ nextWrite <= MaxWrite
    /\ log' = [log EXCEPT ![p] = @ \cup {nextWrite}]
    /\ nextWrite' = nextWrite + 1
    /\ writers' = writers \cup {<<p, epoch[p]>>}
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, isPrimary, epoch, up, isolated, acked>>

\* The primary ships its log to server b, which adopts it (and the primary's epoch) and
\* follows it. With fencing, b refuses a primary of an older epoch than it has seen.
Replicate(p, b) ==
    /\ p /= b
    /\ Reachable(p) /\ Reachable(b)
    /\ isPrimary[p]
    /\ log[b] /= log[p]
    /\ Fencing => epoch[b] <= epoch[p]
    /\ log' = [log EXCEPT ![b] = log[p]]
    /\ epoch' = [epoch EXCEPT ![b] = epoch[p]]
    /\ isPrimary' = [isPrimary EXCEPT ![b] = FALSE]
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, up, isolated, nextWrite, acked, writers>>

\* The primary acknowledges write w once every in-sync replica holds it. With fencing it
\* checks with the coordinator that its epoch is still the current one.
Ack(p, w) ==
    /\ Reachable(p)
    /\ isPrimary[p]
    /\ w \in Holds(p)
    /\ w \notin acked
    /\ Fencing => epoch[p] = coordEpoch
    /\ \A s \in inSync : w \in Holds(s)
    /\ acked' = acked \cup {w}
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, isPrimary, epoch, log, up, isolated,
                   nextWrite, writers>>

\* The coordinator cannot reach the primary (crashed or cut off): it promotes in-sync
\* replica s, which is then the only replica in sync; the others rejoin once they hold
\* s's log in s's epoch. Only with fencing does the epoch move on.
Failover(s) ==
    LET old == coordPrimary
        newEpoch == IF Fencing THEN coordEpoch + 1 ELSE coordEpoch
    IN
    /\ ~Reachable(old)
    /\ s \in inSync
    /\ s /= old
    /\ Reachable(s)
    /\ newEpoch <= MaxEpoch
    /\ coordPrimary' = s
    /\ coordEpoch' = newEpoch
    /\ inSync' = {s}
    /\ isPrimary' = [isPrimary EXCEPT ![s] = TRUE]
    /\ epoch' = [epoch EXCEPT ![s] = newEpoch]
    /\ UNCHANGED <<log, up, isolated, nextWrite, acked, writers>>

\* A deposed primary hears from the coordinator that someone else is primary now.
StepDown(p) ==
    /\ Reachable(p)
    /\ isPrimary[p]
    /\ coordPrimary /= p
    /\ isPrimary' = [isPrimary EXCEPT ![p] = FALSE]
    /\ epoch' = [epoch EXCEPT ![p] = coordEpoch]
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, log, up, isolated, nextWrite, acked,
                   writers>>

\* A backup that has caught up with the primary of the current epoch rejoins the in-sync set.
Rejoin(s) ==
    /\ s \notin inSync
    /\ Reachable(s)
    /\ ~isPrimary[s]
    /\ epoch[s] = coordEpoch
    /\ log[s] = log[coordPrimary]
    /\ inSync' = inSync \cup {s}
    /\ UNCHANGED <<coordPrimary, coordEpoch, isPrimary, epoch, log, up, isolated, nextWrite,
                   acked, writers>>

\* Crash and recovery: what is on disk (log, epoch, role) survives.
Crash(s) ==
    /\ up[s]
    /\ up' = [up EXCEPT ![s] = FALSE]
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, isPrimary, epoch, log, isolated,
                   nextWrite, acked, writers>>

Recover(s) ==
    /\ ~up[s]
    /\ up' = [up EXCEPT ![s] = TRUE]
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, isPrimary, epoch, log, isolated,
                   nextWrite, acked, writers>>

\* The network cuts server s off from everyone else, and heals.
Partition(s) ==
    /\ isolated = Nil
    /\ isolated' = s
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, isPrimary, epoch, log, up, nextWrite,
                   acked, writers>>

Heal ==
    /\ isolated /= Nil
    /\ isolated' = Nil
    /\ UNCHANGED <<coordPrimary, coordEpoch, inSync, isPrimary, epoch, log, up, nextWrite,
                   acked, writers>>

Next ==
    \/ \E s \in Server :
        \/ ClientWrite(s)
        \/ Failover(s)
        \/ StepDown(s)
        \/ Rejoin(s)
        \/ Crash(s)
        \/ Recover(s)
        \/ Partition(s)
    \/ \E p, b \in Server : Replicate(p, b)
    \/ \E p \in Server, w \in Write : Ack(p, w)
    \/ Heal

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------

\* No acknowledged write is lost: the primary clients are sent to holds every one.
NoLostWrite == \A w \in acked : w \in Holds(coordPrimary)

\* At most one primary accepts writes per epoch.
OnePrimaryPerEpoch == \A x, y \in writers : x[2] = y[2] => x[1] = y[1]

\* The stronger statement the protocol maintains: every replica that may be promoted
\* holds every acknowledged write.
AckedOnAllInSync == \A w \in acked : \A s \in inSync : w \in Holds(s)

\* An inductive invariant: it holds initially and every step preserves it, so it holds in
\* every reachable state, and it implies the three above. For `smtcheck prove --inv IndInv`;
\* the correct models' configs list it first, so that `check` proves it before the search
\* and needs no deep unrolling.
IndInv ==
    /\ TypeOK
    /\ AckedOnAllInSync
    \* The coordinator's primary is in sync and knows it is the primary; the in-sync
    \* replicas hold the current epoch, the newest any server has seen.
    /\ coordPrimary \in inSync
    /\ isPrimary[coordPrimary]
    /\ \A s \in inSync : epoch[s] = coordEpoch
    /\ \A s \in Server : epoch[s] <= coordEpoch
    \* Any other server that believes it is the primary is a deposed one, of an older epoch,
    \* and no two believe it in the same epoch.
    /\ \A s \in Server : isPrimary[s] /\ s /= coordPrimary => epoch[s] < coordEpoch
    /\ \A s, t \in Server : isPrimary[s] /\ isPrimary[t] /\ s /= t => epoch[s] /= epoch[t]
    \* A write was accepted in an epoch that has begun, by the only server that can be
    \* primary in it.
    /\ OnePrimaryPerEpoch
    /\ \A x \in writers :
        /\ x[2] <= coordEpoch
        /\ \A t \in Server : isPrimary[t] /\ epoch[t] = x[2] => t = x[1]
=============================================================================
