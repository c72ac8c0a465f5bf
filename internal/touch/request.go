package touch

import (
	"time"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// Status is where a touch request stands.
type Status string

// The statuses.
const (
	StatusPending   Status = "pending"   // waiting for a visit, or for the enterprise's answers
	StatusPlanned   Status = "planned"   // on a joint visit
	StatusDone      Status = "done"      // done at the visit
	StatusNotDone   Status = "not_done"  // the visit took place, the item could not be done
	StatusAnswered  Status = "answered"  // every item answered without a visit
	StatusWithdrawn Status = "withdrawn" // withdrawn by the department
)

// Answer says how an item was answered.
type Answer string

// The answers.
const (
	AnswerNone     Answer = ""
	AnswerRegistry Answer = "registry" // from a fact on file and fresh: asked of nobody
	AnswerReported Answer = "reported" // by the enterprise on its form
	AnswerDone     Answer = "done"     // checked at the visit
	AnswerNotDone  Answer = "not_done"
)

// Request is a department's touch request with its items.
type Request struct {
	ID             int64
	EnterpriseID   int64
	EnterpriseName string
	Department     string
	Kind           Kind
	Basis          string // legal basis or inspection item
	Earliest       workday.Date
	Latest         workday.Date
	OnSite         bool
	Minutes        int
	Exemption      Exemption
	Note           string
	Status         Status
	VisitID        int64
	VisitDay       workday.Date // 0 when not on a visit
	VisitStatus    VisitStatus
	// UnmetReason says why the last plan could not serve the request, ""
	// when it could or none was made; UnmetProof backs a cap refusal.
	UnmetReason Reason
	UnmetProof  *CapProof
	OutcomeNote string
	FiledBy     string
	FiledAt     time.Time
	UpdatedAt   time.Time
	Items       []Item
}

// Item is a data field or a check item a request wants, with its answer.
type Item struct {
	ID     int64
	Field  string // a data dictionary field, or "" for a check item
	Period string // the field's period, "" for timeless fields
	Label  string // the check item or material, when Field is ""
	Answer Answer
	Value  string
	// Source and RecordedAt are the provenance of a field's value: where
	// the fact came from and when it was recorded.
	Source     string
	FactID     int64
	RecordedAt time.Time
	AnsweredAt time.Time
}

// Answered reports whether the item has its answer.
func (it Item) Answered() bool { return it.Answer != AnswerNone }
