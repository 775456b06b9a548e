---------------------------- MODULE FencedLock ----------------------------
(***************************************************************************)
(* A lock service hands out leases with fencing tokens; clients write to   *)
(* shared storage while they believe they hold the lock.                   *)
(*                                                                         *)
(* A lease can expire while its client is paused (a GC pause, a slow       *)
(* network): the client still believes it holds the lock and writes late.  *)
(* The storage defends itself by rejecting any write whose token is older  *)
(* than the newest token it has accepted. With Fencing = FALSE it does     *)
(* not, and a stale client overwrites the new holder's data.               *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Client,     \* the set of clients
    NoOne,      \* a model value: nobody holds the lease
    MaxToken,   \* bound on the number of leases granted, to keep models finite
    Fencing     \* TRUE: the storage checks fencing tokens

VARIABLES
    holder,         \* who the lock service thinks holds the lease
    nextToken,      \* the token the next lease will carry
    belief,         \* belief[c]: the token c believes it holds the lock with (0: none)
    storageToken,   \* the newest token the storage has accepted a write with
    staleWrites     \* how many writes the storage accepted after a newer one

vars == <<holder, nextToken, belief, storageToken, staleWrites>>

TypeOK ==
    /\ holder \in Client \cup {NoOne}
    /\ nextToken \in 1..MaxToken + 1
    /\ belief \in [Client -> 0..MaxToken]
    /\ storageToken \in 0..MaxToken
    /\ staleWrites \in Nat

Init ==
    /\ holder = NoOne
    /\ nextToken = 1
    /\ belief = [c \in Client |-> 0]
    /\ storageToken = 0
    /\ staleWrites = 0

\* The lock service grants a free lease with a fresh token.
Acquire(c) ==
    /\ holder = NoOne
    /\ nextToken <= MaxToken
    /\ holder' = c
    /\ belief' = [belief EXCEPT ![c] = nextToken]
    /\ nextToken' = nextToken + 1
    /\ UNCHANGED <<storageToken, staleWrites>>

\* The lease times out. Its client is not told, and may still be mid-write.
Expire ==
    /\ holder /= NoOne
    /\ holder' = NoOne
    /\ UNCHANGED <<nextToken, belief, storageToken, staleWrites>>

\* A client that believes it holds the lock writes, carrying its token.
Write(c) ==
    /\ belief[c] /= 0
    /\ Fencing => belief[c] >= storageToken
    /\ staleWrites' = IF belief[c] < storageToken THEN staleWrites + 1 ELSE staleWrites
    /\ storageToken' = IF belief[c] > storageToken THEN belief[c] ELSE storageToken
    /\ UNCHANGED <<holder, nextToken, belief>>

\* A client finishes and lets go of the lock (or learns its lease is gone).
Release(c) ==
    /\ belief[c] /= 0
    /\ belief' = [belief EXCEPT ![c] = 0]
    /\ holder' = IF holder = c THEN NoOne ELSE holder
    /\ UNCHANGED <<nextToken, storageToken, staleWrites>>

Next ==
    \/ \E c \in Client : Acquire(c) \/ Write(c) \/ Release(c)
    \/ Expire

Spec == Init /\ [][Next]_vars

\* The storage never accepts a write older than one it has accepted.
NoStaleWrite == staleWrites = 0

\* An inductive strengthening of NoStaleWrite, for `smtcheck prove`.
IndInv ==
    /\ TypeOK
    /\ NoStaleWrite
    /\ \A c \in Client : belief[c] < nextToken
    /\ storageToken < nextToken

\* What the config's values satisfy, stated for `prove` with Client and MaxToken left symbolic.
ASSUME MaxToken \in Nat /\ NoOne \notin Client
=============================================================================
