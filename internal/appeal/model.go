package appeal

import (
	"time"
)

// Status is where an appeal stands.
type Status string

// The statuses. Open ones run a clock (waiting stops it).
const (
	Received   Status = "received"    // with the receiving officer (首问负责), not yet routed
	Assigned   Status = "assigned"    // routed to the lead department, not yet accepted
	InProgress Status = "in_progress" // accepted and being handled
	Waiting    Status = "waiting"     // waiting for the enterprise: the clock stops
	Replied    Status = "replied"     // answered, waiting for the enterprise's confirmation
	Closed     Status = "closed"
	Merged     Status = "merged" // a duplicate, merged into another appeal
)

// Open reports whether the appeal is still being handled.
func (s Status) Open() bool {
	return s == Received || s == Assigned || s == InProgress || s == Waiting
}

// Statuses lists every status in the order of the flow.
var Statuses = []Status{Received, Assigned, InProgress, Waiting, Replied, Closed, Merged}

// Source is how an appeal came in.
type Source string

// The sources.
const (
	FromPortal  Source = "portal"
	FromVisit   Source = "visit"
	FromPhone   Source = "phone"
	FromMeeting Source = "meeting"
	FromAPI     Source = "api"
	FromTeam    Source = "team"
)

// Rating is the enterprise's satisfaction with the reply.
type Rating string

// The ratings.
const (
	Satisfied   Rating = "satisfied"   // 满意
	Basically   Rating = "basically"   // 基本满意
	Unsatisfied Rating = "unsatisfied" // 不满意: the appeal goes back to the department
)

// Level is how far an appeal's clock has run: reminders, then escalation.
type Level int

// The levels, each reached at a point of the time allowed.
const (
	LevelNone    Level = iota
	LevelHalf          // 50 % of the time used: the handler is reminded
	LevelLate          // 80 %: reminded again
	LevelHead          // the deadline: escalated to the department head
	LevelDuban         // one working day after it: to the committee leader (督办)
	levelCeiling       // no further event
)

// Category routes an appeal and sets its deadlines.
type Category struct {
	Code        string
	NameZH      string
	NameEN      string
	Department  string // the lead department by default; "" when an officer chooses
	AckHours    int    // working hours to acknowledge (accept)
	ResolveDays int    // working days to reply
	Position    int
	Active      bool
}

// Appeal is one appeal as its reader may see it.
type Appeal struct {
	ID           int64
	EnterpriseID int64
	Enterprise   string // the enterprise's name
	Category     string
	Title        string
	Body         string
	Source       Source
	ContactName  string
	ContactPhone string // masked unless the reader may see contacts
	Status       Status
	Department   string // the lead department's code, "" before routing
	Cohandlers   []string
	Owner        string // the receiving officer (首问负责)
	ReceivedAt   time.Time
	AcceptedAt   time.Time
	AckDue       time.Time // zero when the calendar cannot tell
	Due          time.Time // zero while waiting, after the reply, or when the calendar cannot tell
	DueProblem   string    // why Due is zero although the clock runs ("no calendar for 2027")
	BudgetMin    int
	UsedMin      int
	Level        Level
	RepliedAt    time.Time
	Reply        string
	OnTime       *bool
	ClosedAt     time.Time
	Rating       Rating
	Comment      string
	Reopened     int
	MergedInto   int64
	MeetingID    int64
	TeamID       int64
	Overdue      bool
	UpdatedAt    time.Time
	Events       []Event
}

// Event is one line of an appeal's timeline.
type Event struct {
	At         time.Time
	Actor      string
	Kind       string
	Note       string
	Department string
}
