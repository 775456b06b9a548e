---------------------------- MODULE TokenMutex ----------------------------
(***************************************************************************)
(* Mutual exclusion by a token passed around a ring of N nodes, 0..N-1.   *)
(*                                                                         *)
(* Only the node holding the token may enter the critical section (think: *)
(* the one process allowed to run a migration, or to write a shard). A    *)
(* node that holds the token but does not need it passes it on to its     *)
(* successor (i + 1) % N, so every waiting node gets its turn.             *)
(*                                                                         *)
(* The bug (PassEarly = TRUE) is a latency "optimisation" seen in real    *)
(* systems: the holder hands the token on as soon as it has entered the   *)
(* critical section, instead of when it leaves, so that the next node     *)
(* does not wait for the hand-over. The next node then enters while the   *)
(* first is still inside.                                                  *)
(*                                                                         *)
(* The spec never enumerates the nodes beyond [i \in 0..N-1 |-> ...], so   *)
(* the same module is checked at N = 3 and at N = 1000.                    *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    N,          \* the number of nodes in the ring
    PassEarly   \* TRUE: the token is passed on while its holder is still inside

ASSUME N >= 1

Node == 0..N-1

VARIABLES
    token,      \* the node holding the token
    pc          \* pc[i]: "idle", "waiting" (wants to enter) or "critical"

vars == <<token, pc>>

TypeOK ==
    /\ token \in Node
    /\ pc \in [Node -> {"idle", "waiting", "critical"}]

Init ==
    /\ token = 0
    /\ pc = [i \in Node |-> "idle"]

\* Node i decides it needs the critical section.
Request(i) ==
    /\ pc[i] = "idle"
    /\ pc' = [pc EXCEPT ![i] = "waiting"]
    /\ UNCHANGED token

\* A waiting node enters once the token is in its hands.
Enter(i) ==
    /\ pc[i] = "waiting"
    /\ token = i
    /\ pc' = [pc EXCEPT ![i] = "critical"]
    /\ UNCHANGED token

\* The node leaves the critical section (it keeps the token until it passes it).
Exit(i) ==
    /\ pc[i] = "critical"
    /\ pc' = [pc EXCEPT ![i] = "idle"]
    /\ UNCHANGED token

\* The holder hands the token to its successor on the ring. It must not be inside the
\* critical section, unless the early hand-over bug is switched on.
PassToken(i) ==
    /\ token = i
    /\ PassEarly \/ pc[i] /= "critical"
    /\ token' = (i + 1) % N
    /\ UNCHANGED pc

Next ==
    \E i \in Node :
        \/ Request(i)
        \/ Enter(i)
        \/ Exit(i)
        \/ PassToken(i)

Spec == Init /\ [][Next]_vars /\ WF_vars(Next)

\* At most one node is in the critical section.
Mutex == \A i, j \in Node : pc[i] = "critical" /\ pc[j] = "critical" => i = j

\* Only the token holder is ever inside (for the correct protocol).
OnlyHolderInside == \A i \in Node : pc[i] = "critical" => token = i

\* An inductive invariant, for `smtcheck prove --inv IndInv --prop Mutex`: it holds initially,
\* every step preserves it, and it implies Mutex, for every N (TokenMutex_symbolic.cfg leaves
\* N open). Mutex alone is not inductive: in a state where one node is inside without the
\* token, the holder may Enter too. With PassEarly TRUE, PassToken breaks OnlyHolderInside.
IndInv ==
    /\ TypeOK
    /\ OnlyHolderInside
=============================================================================
