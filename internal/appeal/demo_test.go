package appeal

import (
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// TestDemoHasEveryState: the demo park's year of appeals shows every
// status, escalations, reopenings, meetings with their appeals and a team.
func TestDemoHasEveryState(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var ids []int64
		for range 8 {
			ids = append(ids, w.enterprise().ID)
		}
		now := cst(t, "2026-11-30 10:00")
		rep, err := w.svc.LoadDemo(w.ctx, DemoOptions{Enterprises: ids, Showcase: ids[0], Now: now, Seed: 1})
		w.must(err)
		for _, st := range Statuses {
			if rep.ByStatus[st] == 0 {
				t.Errorf("no appeal %s: %v", st, rep.ByStatus)
			}
		}
		var escalated, reopened, fromMeetings int
		w.must(db.QueryRow(w.ctx, "SELECT COUNT(*) FROM appeals WHERE level >= 3").Scan(&escalated))
		w.must(db.QueryRow(w.ctx, "SELECT COALESCE(SUM(reopened), 0) FROM appeals").Scan(&reopened))
		w.must(db.QueryRow(w.ctx, "SELECT COUNT(*) FROM appeals WHERE meeting_id IS NOT NULL").Scan(&fromMeetings))
		if escalated == 0 || reopened == 0 || fromMeetings != 6 || rep.Meetings != 3 || rep.Teams != 1 {
			t.Errorf("escalated %d, reopened %d, from meetings %d, report %+v", escalated, reopened, fromMeetings, rep)
		}
		w.clock = now
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		teams, err := w.svc.Teams(w.ctx, officer)
		w.must(err)
		if len(teams) != 1 || len(teams[0].Departments) != 4 || teams[0].Overdue != 1 {
			t.Errorf("teams: %+v", teams)
		}
		meetings, err := w.svc.Meetings(w.ctx, officer, 10)
		w.must(err)
		if len(meetings) != 3 || len(meetings[0].Appeals) != 2 {
			t.Errorf("meetings: %+v", meetings)
		}
		liaison := w.user("liaison", auth.RoleEnterprise, "", ids[0])
		if _, err := w.svc.Meetings(w.ctx, liaison, 10); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison read the meetings: %v", err)
		}
		if _, err := w.svc.FormTeam(w.ctx, officer, TeamSpec{Name: "x", EnterpriseID: ids[1], Lead: "y", Departments: []string{"econ"},
			Tasks: []Task{{Title: "t", Due: workday.Of(time.Now())}}}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a team of one department: %v", err)
		}
	})
}
