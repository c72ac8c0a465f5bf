package appeal

import (
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// Service is the appeals capability over one database.
type Service struct {
	DB *store.DB
	// Now is the clock; tests set one they move. nil is the wall clock.
	Now func() time.Time
}

// NewService returns the service on db with the wall clock.
func NewService(db *store.DB) *Service { return &Service{DB: db} }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
