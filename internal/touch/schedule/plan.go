package schedule

import "github.com/parkdesk/parkdesk/internal/workday"

// Plan is the outcome of Solve.
type Plan struct {
	From, To workday.Date
	Visits   []Visit // by commissioner, day, enterprise
	Unmet    []Unmet // by request
	// Deferred lists the requests not due in the horizon that no planned
	// visit could take along: a later plan will.
	Deferred []int64
	// LowerBound is the sum over enterprises of the fewest visits that
	// could serve the due requests the plan serves: no plan serving them
	// needs fewer visits.
	LowerBound int
	// Unproven counts enterprises whose cover was too large for the exact
	// search with mixed permitted days and was found greedily instead: for
	// them LowerBound is the greedy count, not a proven minimum.
	Unproven int
	Stats    Stats
}

// Stats counts what a plan did.
type Stats struct {
	Due        int // requests whose window ends in the horizon
	Served     int // due requests on a visit
	RideAlong  int // requests not yet due taken along on a planned visit
	Unmet      map[Reason]int
	ExemptOnly int // visits carrying exempt requests only
	QuietBreak int // visits on a quiet day (exempt requests only)
	CapBreak   int // exempt visits beyond a month's or year's cap
	Split      int // joint visits split for lack of capacity
}

// GapPercent is how far the plan's visits exceed its lower bound, in
// percent of the bound.
func (p *Plan) GapPercent() float64 {
	if p.LowerBound == 0 {
		return 0
	}
	return 100 * float64(len(p.Visits)-p.LowerBound) / float64(p.LowerBound)
}

// Visit is one joint visit of a commissioner to an enterprise.
type Visit struct {
	Enterprise   int64
	Commissioner int64
	Day          workday.Date
	// Earliest and Latest bound the working days the visit may move to
	// (when the liaison asks for another date) and still serve every
	// request on it within its window, rules and cap.
	Earliest, Latest workday.Date
	Requests         []int64 // ascending
	Minutes          int
	// ExemptOnly: every request on the visit is exempt. Such a visit does
	// not count against caps; Quiet and OverCap say which rule it breaks.
	ExemptOnly bool
	Quiet      bool
	OverCap    bool
}

// Reason says why a request cannot be met.
type Reason string

// The reasons.
const (
	// ReasonExpired: the window ended before the horizon starts.
	ReasonExpired Reason = "expired"
	// ReasonNoWorkday: the window holds no working day.
	ReasonNoWorkday Reason = "no_workday"
	// ReasonQuiet: every working day of the window is quiet, and the
	// request is not exempt.
	ReasonQuiet Reason = "quiet"
	// ReasonCap: the enterprise's caps leave no visit for it.
	ReasonCap Reason = "cap"
	// ReasonCapacity: the commissioner has no free day in the window.
	ReasonCapacity Reason = "capacity"
	// ReasonNoCommissioner: no commissioner looks after the enterprise.
	ReasonNoCommissioner Reason = "no_commissioner"
)

// Unmet is a due request the plan cannot serve, and why.
type Unmet struct {
	Request    int64
	Enterprise int64
	Reason     Reason
	// Proof backs a cap refusal when one exists; see CapProof.
	Proof *CapProof
}

// CapProof shows that no plan could serve every request of a span of
// months within the caps: Disjoint lists requests whose permitted days are
// pairwise disjoint, all inside the span, so that each needs a routine visit
// of its own, and they are more than the Allowed routine visits the caps
// leave in the span after the Booked ones.
type CapProof struct {
	From     workday.Month `json:"from"`
	To       workday.Month `json:"to"`
	Allowed  int           `json:"allowed"`
	Booked   int           `json:"booked"`
	Disjoint []int64       `json:"disjoint"`
}
