package outreach

import (
	"time"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// PackageStatus is where a package is on its way to the enterprise.
type PackageStatus string

// The package statuses.
const (
	PackageDraft     PackageStatus = "draft"     // waits for an officer
	PackageApproved  PackageStatus = "approved"  // in the outbox
	PackageDelivered PackageStatus = "delivered" // a channel delivered it
	PackageRead      PackageStatus = "read"      // the liaison opened it
	PackageWithdrawn PackageStatus = "withdrawn" // an officer decided not to send it
)

// PackageStatuses lists the statuses in the order a package goes through them.
var PackageStatuses = []PackageStatus{PackageDraft, PackageApproved, PackageDelivered, PackageRead, PackageWithdrawn}

// ItemStatus is what came of one offer.
type ItemStatus string

// The offer statuses.
const (
	ItemOffered   ItemStatus = "offered"
	ItemConfirmed ItemStatus = "confirmed" // the intention to take an automatic benefit
	ItemApplied   ItemStatus = "applied"   // the enterprise applied
	ItemGranted   ItemStatus = "granted"   // the money arrived
	ItemDeclined  ItemStatus = "declined"
)

// ItemStatuses lists the offer statuses in order.
var ItemStatuses = []ItemStatus{ItemOffered, ItemConfirmed, ItemApplied, ItemGranted, ItemDeclined}

// Package is a benefit package: what one enterprise is told at once.
type Package struct {
	ID           int64
	EnterpriseID int64
	ParkID       int64 // 0 when the enterprise has no park
	USCC         string
	Enterprise   string // its name
	Status       PackageStatus
	AutoApproved bool
	CreatedAt    time.Time
	ApprovedAt   time.Time
	ApprovedBy   string
	DeliveredAt  time.Time
	ReadAt       time.Time
	WithdrawnAt  time.Time
	Items        []Item
	Deliveries   []Delivery
}

// Total is the sum of the package's amounts in fen.
func (p Package) Total() Fen {
	var sum Fen
	for _, it := range p.Items {
		if f, ok := ParseFen(it.Amount); ok {
			sum += f
		}
	}
	return sum
}

// Item is one policy of a package, as it was offered.
type Item struct {
	ID           int64
	PackageID    int64
	EnterpriseID int64
	Policy       string
	VersionID    int64
	OnDate       string // the evaluation date of the result offered
	// Amount is the yuan amount with two decimals, "" when the policy has none.
	Amount string
	Mode   policy.Mode
	// ClaimMode is the policy's own claim mode (automatic, confirm, apply,
	// self_declare), which says what the enterprise does; Mode, the offer
	// mode, only how the offer is answered.
	ClaimMode policy.Mode
	// By says by when it is claimed: the filing period for a refund dated
	// by one, then the policy's own words.
	By        policy.Texts
	Title     policy.Texts
	Why       policy.Texts
	Materials []policy.Texts
	Where     policy.Texts
	Deadline  string // YYYY-MM-DD, "" for none
	Status    ItemStatus
	// RespondedAt and RespondedBy are set when the liaison answered.
	RespondedAt   time.Time
	RespondedBy   string
	DeclineReason string
	// GrantedAmount and GrantedOn are what was received, and when.
	GrantedAmount string
	GrantedOn     string
}
