--------------------------- MODULE LeaderElection ---------------------------
(***************************************************************************)
(* Leader election with terms and votes, as in Raft.                       *)
(*                                                                         *)
(* Time is divided into numbered terms. A node that hears from no leader   *)
(* times out, starts a new term and asks the others for their votes; a     *)
(* node grants at most one vote per term, and a candidate that gathers     *)
(* the votes of a majority of the cluster becomes the leader of its term.  *)
(* Since two majorities share a node, and that node votes once per term,   *)
(* there is at most one leader per term: the property that every other    *)
(* guarantee of the protocol (log matching, no lost commits) rests on.    *)
(*                                                                         *)
(* Votes travel as messages. Two bugs seen in real implementations can be *)
(* switched on:                                                            *)
(*   VoteOncePerTerm = FALSE: a node grants a vote without remembering    *)
(*     whom it voted for (votedFor not persisted, or not checked), so it  *)
(*     can vote for two candidates of the same term;                      *)
(*   CountStaleVotes = TRUE: a candidate counts every vote addressed to   *)
(*     it, including votes granted in an older term in which it was also  *)
(*     a candidate, so it reaches a "majority" nobody gave it.            *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Node,             \* the set of nodes
    Nil,              \* a model value: no vote granted in the current term
    MaxTerm,          \* bound on the terms started, to keep models finite
    VoteOncePerTerm,  \* TRUE: a node grants at most one vote per term
    CountStaleVotes   \* TRUE: the bug: votes of older terms are counted

VARIABLES
    currentTerm,  \* currentTerm[n]: the newest term n knows of
    role,         \* role[n]: "follower", "candidate" or "leader"
    votedFor,     \* votedFor[n]: whom n voted for in currentTerm[n], or Nil
    votes,        \* the vote messages sent: records [from, to, term]
    elected       \* history: the pairs <<node, term>> such that node became leader in term

vars == <<currentTerm, role, votedFor, votes, elected>>

Terms == 0..MaxTerm

VoteMsg == [from : Node, to : Node, term : Terms]

\* A majority of the cluster.
IsQuorum(S) == 2 * Cardinality(S) > Cardinality(Node)

TypeOK ==
    /\ currentTerm \in [Node -> Terms]
    /\ role \in [Node -> {"follower", "candidate", "leader"}]
    /\ votedFor \in [Node -> Node \cup {Nil}]
    /\ votes \subseteq VoteMsg
    /\ elected \subseteq Node \X Terms

Init ==
    /\ currentTerm = [n \in Node |-> 0]
    /\ role = [n \in Node |-> "follower"]
    /\ votedFor = [n \in Node |-> Nil]
    /\ votes = {}
    /\ elected = {}

\* Node n hears from no leader: it starts a new term, votes for itself and asks for votes.
Timeout(n) ==
    /\ role[n] /= "leader"
    /\ currentTerm[n] < MaxTerm
    /\ currentTerm' = [currentTerm EXCEPT ![n] = currentTerm[n] + 1]
    /\ role' = [role EXCEPT ![n] = "candidate"]
    /\ votedFor' = [votedFor EXCEPT ![n] = n]
    /\ votes' = votes \cup {[from |-> n, to |-> n, term |-> currentTerm[n] + 1]}
    /\ UNCHANGED elected

\* Voter v receives candidate c's request for its current term. A newer term makes v adopt it
\* (and step down, forgetting its vote of the older term); v then grants its vote unless it
\* has already voted for someone else in this term.
GrantVote(v, c) ==
    LET term == currentTerm[c]
        newer == term > currentTerm[v]
    IN
    /\ v /= c
    /\ role[c] = "candidate"
    /\ term >= currentTerm[v]
    /\ VoteOncePerTerm => (newer \/ votedFor[v] \in {Nil, c})
    /\ currentTerm' = [currentTerm EXCEPT ![v] = term]
    /\ role' = [role EXCEPT ![v] = IF newer THEN "follower" ELSE role[v]]
    /\ votedFor' = [votedFor EXCEPT ![v] = c]
    /\ votes' = votes \cup {[from |-> v, to |-> c, term |-> term]}
    /\ UNCHANGED elected

\* The voters whose votes candidate c counts: those of its current term (or, with the bug,
\* of any term).
Supporters(c) ==
    {v \in Node : \E m \in votes :
        /\ m.from = v
        /\ m.to = c
        /\ CountStaleVotes \/ m.term = currentTerm[c]}

\* Candidate c has a majority and takes the lead of its term.
BecomeLeader(c) ==
    /\ role[c] = "candidate"
    /\ IsQuorum(Supporters(c))
    /\ role' = [role EXCEPT ![c] = "leader"]
    /\ elected' = elected \cup {<<c, currentTerm[c]>>}
    /\ UNCHANGED <<currentTerm, votedFor, votes>>

Next ==
    \/ \E n \in Node : Timeout(n)
    \/ \E v, c \in Node : GrantVote(v, c)
    \/ \E c \in Node : BecomeLeader(c)

Spec == Init /\ [][Next]_vars

\* Election safety: at most one leader per term.
OneLeaderPerTerm ==
    \A e, f \in elected : e[2] = f[2] => e[1] = f[1]

\* A node is leader only of its current term (a sanity check of the model).
LeaderOfCurrentTerm ==
    \A n \in Node : role[n] = "leader" => <<n, currentTerm[n]>> \in elected

\* The votes for candidate c in term t.
VotesFor(c, t) == {v \in Node : [from |-> v, to |-> c, term |-> t] \in votes}

\* The protocol's invariant, beyond types: a node's votes are of terms it has reached, its
\* vote in its current term is the one votedFor remembers, it votes for one candidate per
\* term, and every leader was elected by a majority. OneLeaderPerTerm follows, since two
\* majorities share a voter. The once-per-term vote is stated as "no other candidate of
\* this voter's term" rather than by comparing every pair of votes, which took the solver
\* about 40 % more effort to prove inductive at three nodes.
ElectionInv ==
    /\ \A m \in votes :
          /\ m.term <= currentTerm[m.from]
          /\ m.term = currentTerm[m.from] => votedFor[m.from] = m.to
    /\ \A m \in votes, c \in Node :
          [from |-> m.from, to |-> c, term |-> m.term] \in votes => c = m.to
    /\ \A e \in elected : IsQuorum(VotesFor(e[1], e[2]))

\* An inductive invariant for the correct protocol (VoteOncePerTerm, no stale votes), for
\* `smtcheck prove --inv IndInv --prop OneLeaderPerTerm`. The correct models list its two
\* conjuncts first among their invariants, TypeOK before ElectionInv: `check` proves each
\* inductive relative to those before it, and ElectionInv is then proved with TypeOK as a
\* hypothesis only, about half the solver's effort of proving IndInv whole.
IndInv == TypeOK /\ ElectionInv

\* Terms are numbered from 0 (needed when MaxTerm is left symbolic, for `prove`).
ASSUME MaxTerm \in Nat
\* Nil is no node: a vote for Nil is no vote. Every model's Node of model values has it; a
\* symbolic Node (for `prove`) needs saying so, or Nil could stand for a node.
ASSUME Nil \notin Node
=============================================================================
