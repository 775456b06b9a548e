------------------------------- MODULE Saga -------------------------------
(***************************************************************************)
(* A saga orchestrator: a business transaction (book a trip: reserve the  *)
(* flight, the hotel, charge the card) made of steps, each a local        *)
(* transaction in another service, each with a compensation that undoes   *)
(* it (cancel the reservation, refund the card). If a step fails, the     *)
(* orchestrator compensates the steps done so far, newest first.          *)
(*                                                                         *)
(* The orchestrator crashes and restarts. What it knows after a restart   *)
(* is its durable log; it then retries from there. Participants are       *)
(* idempotent: a retried request carries the same idempotency key, and    *)
(* a participant that has seen the key answers with its first answer      *)
(* without doing anything again.                                          *)
(*                                                                         *)
(* Bugs that can be switched on:                                           *)
(*   PersistDirection = FALSE: the log holds the saga's progress (how     *)
(*     many steps are done), but the decision to roll back lives only in  *)
(*     memory. After a crash during the rollback the orchestrator resumes *)
(*     forward and re-runs a step whose compensation already ran; the     *)
(*     participant replays its cached "success", and the saga commits     *)
(*     with that step undone (the trip is confirmed, the hotel is not).   *)
(*   CompensateFailedStep = TRUE: an off-by-one makes the rollback start  *)
(*     at the step that failed, which never ran (a refund of a charge     *)
(*     that never happened).                                               *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Saga,                 \* the saga instances
    NumSteps,             \* the number of steps of every saga
    MaxCrash,             \* bound on orchestrator crashes, to keep models finite
    PersistDirection,     \* TRUE: the log records that a saga is rolling back
    CompensateFailedStep  \* TRUE: the bug: the failed step is compensated too

Step == 1..NumSteps

Status == {"idle", "forward", "backward", "committed", "aborted"}

VARIABLES
    effect,     \* effect[s][i]: step i of saga s at its participant: "none", "applied", "compensated"
    ran,        \* history: ran[s] is the set of steps of s that took effect at some time
    status,     \* status[s]: the orchestrator's view of saga s (in memory)
    cursor,     \* cursor[s]: steps done (going forward) or still to undo (going backward)
    logStatus,  \* the durable log: status ...
    logCursor,  \* ... and cursor of each saga, as last written
    crashes     \* how many times the orchestrator crashed

vars == <<effect, ran, status, cursor, logStatus, logCursor, crashes>>

TypeOK ==
    /\ effect \in [Saga -> [Step -> {"none", "applied", "compensated"}]]
    /\ ran \in [Saga -> SUBSET Step]
    /\ status \in [Saga -> Status]
    /\ cursor \in [Saga -> 0..NumSteps]
    /\ logStatus \in [Saga -> Status]
    /\ logCursor \in [Saga -> 0..NumSteps]
    /\ crashes \in 0..MaxCrash

Init ==
    /\ effect = [s \in Saga |-> [i \in Step |-> "none"]]
    /\ ran = [s \in Saga |-> {}]
    /\ status = [s \in Saga |-> "idle"]
    /\ cursor = [s \in Saga |-> 0]
    /\ logStatus = [s \in Saga |-> "idle"]
    /\ logCursor = [s \in Saga |-> 0]
    /\ crashes = 0

\* The orchestrator moves saga s to status st with cursor k, in memory and in its log.
\* Only a switch to "backward" may skip the log, when the direction is not persisted.
Move(s, st, k) ==
    /\ status' = [status EXCEPT ![s] = st]
    /\ cursor' = [cursor EXCEPT ![s] = k]
    /\ logStatus' = [logStatus EXCEPT ![s] =
                        IF st = "backward" /\ ~PersistDirection THEN @ ELSE st]
    /\ logCursor' = [logCursor EXCEPT ![s] = k]

\* A client starts saga s.
Start(s) ==
    /\ status[s] = "idle"
    /\ Move(s, "forward", 0)
    /\ UNCHANGED <<effect, ran, crashes>>

\* The orchestrator runs the next step and its participant answers "done". A participant
\* that has seen the request before (same idempotency key) does nothing and answers as it
\* did the first time.
RunStep(s) ==
    LET i == cursor[s] + 1 IN
    /\ status[s] = "forward"
    /\ cursor[s] < NumSteps
    /\ effect' = [effect EXCEPT ![s][i] = IF @ = "none" THEN "applied" ELSE @]
    /\ ran' = [ran EXCEPT ![s] = @ \cup {i}]
    /\ Move(s, "forward", i)
    /\ UNCHANGED crashes

\* The participant of the next step rejects it (no seats left, card declined): the
\* orchestrator turns the saga around, to undo the steps done.
StepFails(s) ==
    LET i == cursor[s] + 1 IN
    /\ status[s] = "forward"
    /\ cursor[s] < NumSteps
    /\ effect[s][i] = "none"
    /\ Move(s, "backward", IF CompensateFailedStep THEN i ELSE cursor[s])
    /\ UNCHANGED <<effect, ran, crashes>>

\* The orchestrator undoes the newest step not yet undone.
Compensate(s) ==
    LET i == cursor[s] IN
    /\ status[s] = "backward"
    /\ cursor[s] > 0
    /\ effect' = [effect EXCEPT ![s][i] = "compensated"]
    /\ Move(s, "backward", i - 1)
    /\ UNCHANGED <<ran, crashes>>

\* Every step is done: the saga has committed.
Commit(s) ==
    /\ status[s] = "forward"
    /\ cursor[s] = NumSteps
    /\ Move(s, "committed", NumSteps)
    /\ UNCHANGED <<effect, ran, crashes>>

\* Every step is undone: the saga has aborted.
Abort(s) ==
    /\ status[s] = "backward"
    /\ cursor[s] = 0
    /\ Move(s, "aborted", 0)
    /\ UNCHANGED <<effect, ran, crashes>>

\* The orchestrator crashes and restarts: its memory is rebuilt from the log, and every
\* saga is retried from where the log says it is.
Restart ==
    /\ crashes < MaxCrash
    /\ status' = logStatus
    /\ cursor' = logCursor
    /\ crashes' = crashes + 1
    /\ UNCHANGED <<effect, ran, logStatus, logCursor>>

Next ==
    \/ \E s \in Saga :
        \/ Start(s)
        \/ RunStep(s)
        \/ StepFails(s)
        \/ Compensate(s)
        \/ Commit(s)
        \/ Abort(s)
    \/ Restart

Spec == Init /\ [][Next]_vars

\* The orchestrator keeps making progress on every saga it has started; crashes are bounded
\* by MaxCrash, and nothing forces a step to fail.
Fairness ==
    \A s \in Saga :
        /\ WF_vars(RunStep(s))
        /\ WF_vars(Compensate(s))
        /\ WF_vars(Commit(s))
        /\ WF_vars(Abort(s))

FairSpec == Spec /\ Fairness

-----------------------------------------------------------------------------

\* A completed saga is all or nothing: committed with every step applied, or aborted with
\* no step left applied.
CompletedAllOrNothing ==
    \A s \in Saga :
        /\ status[s] = "committed" => \A i \in Step : effect[s][i] = "applied"
        /\ status[s] = "aborted" => \A i \in Step : effect[s][i] /= "applied"

\* No compensation without its step: only a step that took effect is ever undone.
NoCompensationWithoutStep ==
    \A s \in Saga : \A i \in Step : effect[s][i] = "compensated" => i \in ran[s]

\* An inductive invariant of the correct orchestrator: it holds initially and every step
\* preserves it, so it holds in every reachable state, and it implies the two above. For
\* `smtcheck prove --inv IndInv`; the correct models' configs list it first, so that `check`
\* proves it before the search and needs no deep unrolling.
IndInv ==
    /\ TypeOK
    /\ PersistDirection /\ ~CompensateFailedStep
    /\ \A s \in Saga :
        \* The log is written with every move, so a restart changes nothing ...
        /\ logStatus[s] = status[s]
        /\ logCursor[s] = cursor[s]
        \* ... and the cursor is where the status says it is.
        /\ status[s] = "committed" => cursor[s] = NumSteps
        /\ status[s] \in {"idle", "aborted"} => cursor[s] = 0
        /\ \A i \in Step :
            \* The steps before the cursor are applied, the others are not, ...
            /\ effect[s][i] = "applied" <=> i <= cursor[s] /\ status[s] /= "aborted"
            \* ... nor ever were, going forward; and a step took effect if it has one.
            /\ status[s] \in {"idle", "forward"} /\ i > cursor[s] => effect[s][i] = "none"
            /\ i \in ran[s] <=> effect[s][i] /= "none"

\* Liveness: every saga that is started eventually commits or aborts.
EventuallyCompletes ==
    \A s \in Saga : status[s] /= "idle" ~> status[s] \in {"committed", "aborted"}
=============================================================================
