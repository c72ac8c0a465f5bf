package outreach

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Service is benefit packages and their tracking on a database. Every method
// that changes something checks the principal with auth.Can and writes the
// audit entry in the same transaction as the change.
type Service struct {
	DB *store.DB
	// Policies gives the offers their titles, modes and materials.
	Policies *policy.Library
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
	// Yield is the pause between the spans of BuildInBackground, given how
	// long the span took; nil waits that long. Tests set it.
	Yield func(ctx context.Context, took time.Duration) error
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// enterpriseRef is what a decision needs of an enterprise.
type enterpriseRef struct {
	id, parkID int64
}

func (e enterpriseRef) resource() auth.Resource { return auth.Enterprise(e.id, e.parkID) }

// errNotFound is the error for an object that does not exist or that the
// principal may not know exists: the two look the same.
func errNotFound(what string) error {
	return apperr.Errorf(apperr.NotFound, "%s not found", what)
}

// enterpriseOf reads the park of an enterprise, as a not-found error when
// there is none.
func enterpriseOf(ctx context.Context, q store.Queryer, id int64) (enterpriseRef, error) {
	var park *int64
	if err := q.QueryRow(ctx, "SELECT park_id FROM enterprises WHERE id = ?", id).Scan(&park); err != nil {
		if isNotFound(err) {
			return enterpriseRef{}, errNotFound("enterprise")
		}
		return enterpriseRef{}, err
	}
	e := enterpriseRef{id: id}
	if park != nil {
		e.parkID = *park
	}
	return e, nil
}

// mayManage checks that an officer may handle the packages of the
// enterprise: manage packages, and see the enterprise (a park-limited
// officer handles only its park's). Anyone who may not see the enterprise
// gets not-found.
func mayManage(actor auth.Principal, e enterpriseRef) error {
	if err := auth.Can(actor, auth.ViewEnterprise, e.resource()); err != nil {
		if apperr.CodeOf(err) == apperr.Unauthorized {
			return err
		}
		return apperr.Errorf(apperr.NotFound, "not found")
	}
	return auth.Can(actor, auth.ManagePackages, e.resource())
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
