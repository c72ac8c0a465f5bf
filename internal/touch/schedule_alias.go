package touch

import "github.com/parkdesk/parkdesk/internal/touch/schedule"

// The scheduler's names that touch's callers see: an enterprise's quiet
// rules, and why a request could not be planned.
type (
	QuietRules  = schedule.QuietRules
	QuietWindow = schedule.QuietWindow
	Reason      = schedule.Reason
	Unmet       = schedule.Unmet
	CapProof    = schedule.CapProof
)

// The reasons a request cannot be met (schedule.Reason).
const (
	ReasonExpired        = schedule.ReasonExpired
	ReasonNoWorkday      = schedule.ReasonNoWorkday
	ReasonQuiet          = schedule.ReasonQuiet
	ReasonCap            = schedule.ReasonCap
	ReasonCapacity       = schedule.ReasonCapacity
	ReasonNoCommissioner = schedule.ReasonNoCommissioner
)

// ParseWindows and FormatWindows read and write quiet windows as people
// type them (schedule.ParseWindows).
var (
	ParseWindows  = schedule.ParseWindows
	FormatWindows = schedule.FormatWindows
)
