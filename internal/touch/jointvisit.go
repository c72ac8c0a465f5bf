package touch

import (
	"time"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// VisitStatus is where a joint visit stands.
type VisitStatus string

// The visit statuses.
const (
	VisitProposed   VisitStatus = "proposed"   // planned, waiting for the liaison
	VisitConfirmed  VisitStatus = "confirmed"  // the liaison confirmed the day
	VisitReschedule VisitStatus = "reschedule" // the liaison asked for another day
	VisitDone       VisitStatus = "done"       // made and logged
	VisitCancelled  VisitStatus = "cancelled"  // nothing left to do on it
)

// JointVisit is a stored joint visit with its requests.
type JointVisit struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string
	CommissionerID int64
	Commissioner   string // display name
	Day            workday.Date
	Earliest       workday.Date
	Latest         workday.Date
	Status         VisitStatus
	ExemptOnly     bool
	QuietBreak     bool
	CapBreak       bool
	AskedDay       workday.Date // 0 unless the liaison asked for another day
	AskedNote      string
	LogNote        string
	CreatedAt      time.Time
	DoneAt         time.Time
	Requests       []Request
	Problems       []RaisedProblem
}

// RaisedProblem is a problem the enterprise raised at a visit (痛点、堵点),
// kept for the appeals capability.
type RaisedProblem struct {
	ID         int64
	VisitID    int64
	Department string // the department it concerns, "" when unknown
	Text       string
	RaisedBy   string
	RaisedAt   time.Time
	AppealID   int64
}
