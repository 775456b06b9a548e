------------------------- MODULE IdempotentConsumer -------------------------
(***************************************************************************)
(* Exactly-once effect over at-least-once delivery.                        *)
(*                                                                         *)
(* A broker (SQS, Kafka, RabbitMQ) delivers each message at least once: a  *)
(* message stays in the queue until a consumer acknowledges it, and it is  *)
(* delivered again if the consumer crashes first, or if the ack is lost.   *)
(* Consumers make the effect of a message (crediting an account, sending  *)
(* a shipment order) happen once anyway, by recording the ids of the       *)
(* messages they have processed in a dedupe table and skipping those.      *)
(*                                                                         *)
(* That works only if the effect and the dedupe record are written in one *)
(* transaction. With Atomic = FALSE they are two writes: a consumer that  *)
(* crashes between them has applied the effect but not recorded it, and  *)
(* the redelivered message is applied a second time.                      *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Consumer,   \* the set of consumer processes
    Msg,        \* the set of message ids the producer sends
    NoMsg,      \* a model value: a consumer holding no message
    MaxCrash,   \* bound on consumer crashes, to keep models finite
    Atomic      \* TRUE: effect and dedupe record are committed in one transaction

VARIABLES
    queue,      \* the messages not yet acknowledged: the broker may (re)deliver them
    holding,    \* holding[c]: the message consumer c is working on, or NoMsg
    pc,         \* pc[c]: where c is in handling it (in memory: lost on a crash)
    applied,    \* applied[m]: how many times m's effect was applied (durable)
    dedupe,     \* the set of message ids recorded as processed (durable)
    crashes     \* how many crashes happened so far

vars == <<queue, holding, pc, applied, dedupe, crashes>>

TypeOK ==
    /\ queue \subseteq Msg
    /\ holding \in [Consumer -> Msg \cup {NoMsg}]
    /\ pc \in [Consumer -> {"idle", "received", "applied", "done"}]
    /\ applied \in [Msg -> Nat]
    /\ dedupe \subseteq Msg
    /\ crashes \in 0..MaxCrash

Init ==
    /\ queue = Msg
    /\ holding = [c \in Consumer |-> NoMsg]
    /\ pc = [c \in Consumer |-> "idle"]
    /\ applied = [m \in Msg |-> 0]
    /\ dedupe = {}
    /\ crashes = 0

\* The broker hands an unacknowledged message to an idle consumer. Nothing stops it from
\* handing the same message to two consumers (a visibility timeout ran out).
Deliver(c, m) ==
    /\ pc[c] = "idle"
    /\ m \in queue
    /\ holding' = [holding EXCEPT ![c] = m]
    /\ pc' = [pc EXCEPT ![c] = "received"]
    /\ UNCHANGED <<queue, applied, dedupe, crashes>>

\* The correct handler: one database transaction checks the dedupe table, applies the
\* effect and inserts the message id (the insert's unique key makes concurrent copies of
\* the transaction serialize).
ProcessAtomically(c) ==
    LET m == holding[c] IN
    /\ Atomic
    /\ pc[c] = "received"
    /\ applied' = IF m \in dedupe THEN applied ELSE [applied EXCEPT ![m] = @ + 1]
    /\ dedupe' = dedupe \cup {m}
    /\ pc' = [pc EXCEPT ![c] = "done"]
    /\ UNCHANGED <<queue, holding, crashes>>

\* The buggy handler, first write: check the dedupe table and apply the effect.
ApplyEffect(c) ==
    LET m == holding[c] IN
    /\ ~Atomic
    /\ pc[c] = "received"
    /\ IF m \in dedupe
          THEN /\ pc' = [pc EXCEPT ![c] = "done"]
               /\ UNCHANGED applied
          ELSE /\ applied' = [applied EXCEPT ![m] = @ + 1]
               /\ pc' = [pc EXCEPT ![c] = "applied"]
    /\ UNCHANGED <<queue, holding, dedupe, crashes>>

\* The buggy handler, second write: record the message as processed.
RecordDedupe(c) ==
    /\ ~Atomic
    /\ pc[c] = "applied"
    /\ dedupe' = dedupe \cup {holding[c]}
    /\ pc' = [pc EXCEPT ![c] = "done"]
    /\ UNCHANGED <<queue, holding, applied, crashes>>

\* The consumer acknowledges the message; the broker will not deliver it again.
Ack(c) ==
    /\ pc[c] = "done"
    /\ queue' = queue \ {holding[c]}
    /\ holding' = [holding EXCEPT ![c] = NoMsg]
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ UNCHANGED <<applied, dedupe, crashes>>

\* The consumer crashes and restarts: what it held in memory is gone, the database is not,
\* and the unacknowledged message will be delivered again.
Crash(c) ==
    /\ pc[c] /= "idle"
    /\ crashes < MaxCrash
    /\ holding' = [holding EXCEPT ![c] = NoMsg]
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ crashes' = crashes + 1
    /\ UNCHANGED <<queue, applied, dedupe>>

Next ==
    \/ \E c \in Consumer, m \in Msg : Deliver(c, m)
    \/ \E c \in Consumer :
        \/ ProcessAtomically(c)
        \/ ApplyEffect(c)
        \/ RecordDedupe(c)
        \/ Ack(c)
        \/ Crash(c)

Spec == Init /\ [][Next]_vars

\* Exactly-once effect: no message's effect is applied twice.
EffectOnce == \A m \in Msg : applied[m] <= 1

\* No message is lost: a message the broker has forgotten was applied.
AckedWasApplied == \A m \in Msg : m \notin queue => applied[m] = 1

\* Every recorded message was applied (the dedupe table tells the truth).
DedupeTellsTruth == \A m \in dedupe : applied[m] = 1

\* An inductive invariant of the correct (atomic) consumer: it holds initially and every
\* step preserves it, so it holds in every reachable state, and it implies the three
\* above. For `smtcheck prove --inv IndInv`; the correct models' configs list it first, so
\* that `check` proves it before the search and needs no deep unrolling.
IndInv ==
    /\ TypeOK
    /\ Atomic
    \* A message's effect is applied exactly when it is recorded as processed ...
    /\ \A m \in Msg : applied[m] = IF m \in dedupe THEN 1 ELSE 0
    \* ... which it is before the broker forgets it,
    /\ \A m \in Msg : m \notin queue => m \in dedupe
    \* and a consumer that is done with a message has recorded it.
    /\ \A c \in Consumer :
        /\ pc[c] \in {"received", "done"} => holding[c] \in Msg
        /\ pc[c] = "done" => holding[c] \in dedupe
        /\ pc[c] /= "applied"
=============================================================================
