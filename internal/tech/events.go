package tech

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Event is a docking event (对接会).
type Event struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	HeldOn      string   `json:"held_on"`
	Place       string   `json:"place"`
	Note        string   `json:"note"`
	SignUps     int      `json:"sign_ups"`
	Dockings    int      `json:"dockings"`
	Signed      int      `json:"signed"`
	SignedUp    bool     `json:"signed_up"` // the asking enterprise has signed up
	Enterprises []SignUp `json:"enterprises,omitempty"`
	Holders     []SignUp `json:"holders,omitempty"`
}

// SignUp is one who signed up for an event.
type SignUp struct {
	ID   int64     `json:"id"` // the enterprise's or the holder's
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// EventSpec is a new event.
type EventSpec struct {
	Title, HeldOn, Place, Note string
}

// CreateEvent records a docking event.
func (s *Service) CreateEvent(ctx context.Context, actor auth.Principal, spec EventSpec) (Event, error) {
	if err := auth.Can(actor, auth.ManageTechEvents, auth.Resource{}); err != nil {
		return Event{}, err
	}
	spec.Title, spec.Place, spec.Note = strings.TrimSpace(spec.Title), strings.TrimSpace(spec.Place), strings.TrimSpace(spec.Note)
	var problems []apperr.Problem
	problems = append(problems, checkText("title", spec.Title, true, maxTitleRunes)...)
	problems = append(problems, checkText("place", spec.Place, false, maxNameRunes)...)
	problems = append(problems, checkText("note", spec.Note, false, maxTextRunes)...)
	if _, err := time.Parse(time.DateOnly, spec.HeldOn); err != nil {
		problems = append(problems, apperr.Problem{Field: "held_on", Reason: "give the date it is held (YYYY-MM-DD)"})
	}
	if len(problems) > 0 {
		return Event{}, apperr.InvalidInput("the event cannot be created", problems...)
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO tech_events (title, held_on, place, note, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, spec.Title, spec.HeldOn, spec.Place, spec.Note, actor.Label, store.FormatTime(s.now())).Scan(&id); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.event.create", ObjectType: "tech_event",
			ObjectID: strconv.FormatInt(id, 10), After: spec, At: s.now()})
	})
	if err != nil {
		return Event{}, err
	}
	return s.Event(ctx, actor, id)
}

// SignUpEnterprise signs an enterprise up for an event: its liaison, or an
// officer for it. Signing up twice is no error.
func (s *Service) SignUpEnterprise(ctx context.Context, actor auth.Principal, eventID, enterpriseID int64) error {
	res, err := auth.EnterpriseResource(ctx, s.DB, enterpriseID)
	if err != nil {
		return notFound(err, "enterprise")
	}
	if err := auth.Can(actor, auth.SignUpTechEvent, res); err != nil {
		return err
	}
	return s.signUp(ctx, actor, eventID, "enterprise_id", enterpriseID)
}

// SignUpHolder records a holder's sign-up, as an officer takes it.
func (s *Service) SignUpHolder(ctx context.Context, actor auth.Principal, eventID, holderID int64) error {
	if err := auth.Can(actor, auth.ManageTechEvents, auth.Resource{}); err != nil {
		return err
	}
	return s.signUp(ctx, actor, eventID, "holder_id", holderID)
}

func (s *Service) signUp(ctx context.Context, actor auth.Principal, eventID int64, column string, id int64) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO tech_event_signups (event_id, `+column+`, signed_up_by, signed_up_at)
VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, eventID, id, actor.Label, store.FormatTime(s.now()))
		if errors.Is(err, store.ErrReferenced) {
			return apperr.Errorf(apperr.NotFound, "no such event or holder")
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.event.sign_up", ObjectType: "tech_event",
			ObjectID: strconv.FormatInt(eventID, 10), After: map[string]any{column: id}, At: s.now()})
	})
}

const eventColumns = `v.id, v.title, v.held_on, v.place, v.note,
	(SELECT COUNT(*) FROM tech_event_signups u WHERE u.event_id = v.id),
	(SELECT COUNT(*) FROM tech_dockings d WHERE d.event_id = v.id),
	(SELECT COUNT(*) FROM tech_dockings d WHERE d.event_id = v.id AND d.stage = 'signed')`

func scanEvent(row interface{ Scan(...any) error }) (Event, error) {
	var e Event
	err := row.Scan(&e.ID, &e.Title, &e.HeldOn, &e.Place, &e.Note, &e.SignUps, &e.Dockings, &e.Signed)
	return e, err
}

// Events returns the docking events, latest first. Everyone who sees the
// catalogue sees them, to sign up; a liaison sees whether it has.
func (s *Service) Events(ctx context.Context, actor auth.Principal) ([]Event, error) {
	if err := auth.Can(actor, auth.ViewTechCatalogue, auth.Resource{}); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+eventColumns+" FROM tech_events v ORDER BY v.held_on DESC, v.id DESC LIMIT 200")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if actor.EnterpriseID != 0 {
		for i := range out {
			var n int
			if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_event_signups WHERE event_id = ? AND enterprise_id = ?", out[i].ID, actor.EnterpriseID).Scan(&n); err != nil {
				return nil, err
			}
			out[i].SignedUp = n > 0
		}
	}
	return out, nil
}

// Event returns one event; those who manage events also get who signed
// up (enterprises they may see, and holders).
func (s *Service) Event(ctx context.Context, actor auth.Principal, id int64) (Event, error) {
	if err := auth.Can(actor, auth.ViewTechCatalogue, auth.Resource{}); err != nil {
		return Event{}, err
	}
	e, err := scanEvent(s.DB.QueryRow(ctx, "SELECT "+eventColumns+" FROM tech_events v WHERE v.id = ?", id))
	if err != nil {
		return Event{}, notFound(err, "event")
	}
	if !auth.Allowed(actor, auth.ManageTechEvents, auth.Resource{}) {
		return e, nil
	}
	scope := auth.Scope(actor, auth.ViewEnterprise, auth.Columns{Enterprise: "u.enterprise_id"})
	rows, err := s.DB.Query(ctx, `SELECT u.enterprise_id, e.name, u.signed_up_at FROM tech_event_signups u JOIN enterprises e ON e.id = u.enterprise_id
WHERE u.event_id = ? AND `+scope.SQL+` ORDER BY u.id`, append([]any{id}, scope.Args...)...)
	if err != nil {
		return Event{}, err
	}
	for rows.Next() {
		var su SignUp
		if err := rows.Scan(&su.ID, &su.Name, store.ScanTime(&su.At)); err != nil {
			rows.Close()
			return Event{}, err
		}
		e.Enterprises = append(e.Enterprises, su)
	}
	rows.Close()
	rows, err = s.DB.Query(ctx, `SELECT u.holder_id, h.name, u.signed_up_at FROM tech_event_signups u JOIN tech_holders h ON h.id = u.holder_id
WHERE u.event_id = ? ORDER BY u.id`, id)
	if err != nil {
		return Event{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var su SignUp
		if err := rows.Scan(&su.ID, &su.Name, store.ScanTime(&su.At)); err != nil {
			return Event{}, err
		}
		e.Holders = append(e.Holders, su)
	}
	return e, rows.Err()
}
