package touch

import (
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// DefaultDailyCapacity is how many joint visits a commissioner makes a day
// unless set otherwise: a visit with its travel takes a half day or less.
const DefaultDailyCapacity = 3

// Service is the commissioner system on a database. Every method that
// changes something checks the principal with auth.Can and writes the
// audit entry in the same transaction as the change.
type Service struct {
	DB *store.DB
	// Now is the clock; tests set one they move. nil is the wall clock.
	Now func() time.Time
	// DefaultCapacity is the daily capacity of commissioners without one
	// of their own; 0 means DefaultDailyCapacity.
	DefaultCapacity int
	// Facts records the values a touch form reports (and tells matching);
	// nil records them without anyone following.
	Facts *facts.Service
}

func (s *Service) facts() *facts.Service {
	if s.Facts != nil {
		return s.Facts
	}
	return &facts.Service{DB: s.DB}
}

// NewService returns the service on db with the wall clock.
func NewService(db *store.DB) *Service { return &Service{DB: db} }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// today is the park's date now, in the clock's location.
func (s *Service) today() workday.Date { return workday.Of(s.now()) }

func (s *Service) defaultCapacity() int {
	if s.DefaultCapacity > 0 {
		return s.DefaultCapacity
	}
	return DefaultDailyCapacity
}
