package touch

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

func TestReportOnce(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		stats := w.user("stats", auth.RoleDepartment, "stats", 0)
		w.fact(e.ID, "revenue", "2024", "32000000", "import:annual.csv", w.clock.Add(-24*time.Hour))
		w.fact(e.ID, "enterprise_size", "", "small", "import:registry.csv", w.clock.Add(-30*24*time.Hour))
		w.fact(e.ID, "employees", "2024", "120", "import:old.csv", w.clock.Add(-500*24*time.Hour)) // stale: 400 days
		spec := RequestSpec{EnterpriseID: e.ID, Kind: KindDataReport, Basis: "《统计法》第七条", Minutes: 30,
			Earliest: mustDate(t, "2025-03-03"), Latest: mustDate(t, "2025-03-31"),
			Fields: []FieldWant{{Field: "revenue"}, {Field: "enterprise_size"}, {Field: "employees", Period: "2024"}, {Field: "total_assets"}, {Field: "hnte_certified"}}}
		r := w.file(stats, spec)
		byField := map[string]Item{}
		for _, it := range r.Items {
			byField[it.Field] = it
		}
		if it := byField["revenue"]; it.Answer != AnswerRegistry || it.Value != "32000000" || it.Source != "import:annual.csv" || it.Period != "2024" || it.FactID == 0 {
			t.Errorf("revenue: %+v, want answered from the registry with its provenance", it)
		}
		if it := byField["enterprise_size"]; it.Answer != AnswerRegistry || it.Value != "small" {
			t.Errorf("enterprise_size: %+v", it)
		}
		if it := byField["employees"]; it.Answered() {
			t.Errorf("stale employees answered: %+v", it)
		}
		if it := byField["total_assets"]; it.Answered() || it.Period != "2024" {
			t.Errorf("missing total_assets: %+v", it)
		}
		if r.Status != StatusPending {
			t.Errorf("status %s, want pending for the form", r.Status)
		}

		// A second department wants hnte_certified too: the form asks it once.
		science := w.user("science", auth.RoleDepartment, "science", 0)
		r2 := w.file(science, RequestSpec{EnterpriseID: e.ID, Kind: KindMaterials, Basis: "高新技术企业认定管理办法", Minutes: 30,
			Earliest: mustDate(t, "2025-03-03"), Latest: mustDate(t, "2025-04-30"),
			Fields: []FieldWant{{Field: "hnte_certified"}}, CheckItems: []string{"研发项目立项文件"}})
		liaison := w.user("liaison", auth.RoleEnterprise, "", e.ID)
		form, err := w.svc.Form(w.ctx, liaison, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(form.Fields) != 3 || len(form.Items) != 1 {
			t.Fatalf("form %+v, want employees, hnte_certified and total_assets once each and one item", form)
		}
		if emp := form.Fields[0]; emp.Field != "employees" || !slices.Equal(emp.Departments, []string{"stats"}) || emp.Stale != "120" {
			t.Errorf("employees on the form: %+v", emp)
		}
		if hnte := form.Fields[1]; hnte.Field != "hnte_certified" || !slices.Equal(hnte.Departments, []string{"science", "stats"}) {
			t.Errorf("hnte_certified on the form: %+v", hnte)
		}

		// The form's values go through the one home of reported facts,
		// whose change matching follows.
		w.svc.Facts = &facts.Service{DB: db}
		var events []facts.Changed
		w.svc.Facts.Subscribe(func(_ context.Context, ch facts.Changed) error {
			events = append(events, ch)
			return nil
		})

		// A bad value: nothing is recorded.
		err = w.svc.SubmitForm(w.ctx, liaison, e.ID, FormAnswers{Fields: map[FieldWant]string{
			{Field: "employees", Period: "2024"}: "135", {Field: "total_assets", Period: "2024"}: "lots"}})
		if apperr.CodeOf(err) != apperr.Invalid || len(apperr.ProblemsOf(err)) != 1 || apperr.ProblemsOf(err)[0].Field != "total_assets" {
			t.Fatalf("err = %v, want one problem on total_assets", err)
		}
		if got := w.request(r.ID); got.Items[2].Answered() {
			t.Fatal("a rejected form recorded an answer")
		}

		w.clock = w.clock.Add(time.Hour)
		err = w.svc.SubmitForm(w.ctx, liaison, e.ID, FormAnswers{
			Fields: map[FieldWant]string{{Field: "employees", Period: "2024"}: "135", {Field: "total_assets", Period: "2024"}: "88000000",
				{Field: "hnte_certified"}: "true"},
			Items: map[int64]string{form.Items[0].ItemID: "已上传立项文件 3 份"}})
		if err != nil {
			t.Fatal(err)
		}
		got := w.request(r.ID)
		if got.Status != StatusAnswered {
			t.Errorf("stats request %s, want answered", got.Status)
		}
		for _, it := range got.Items {
			if !it.Answered() {
				t.Errorf("item %s unanswered", it.Field)
			}
		}
		if it := got.Items[2]; it.Answer != AnswerReported || it.Value != "135" || it.Source != SelfReport || it.FactID == 0 {
			t.Errorf("employees after the form: %+v", it)
		}
		if got2 := w.request(r2.ID); got2.Status != StatusAnswered || got2.Items[0].Value != "true" || got2.Items[1].Value != "已上传立项文件 3 份" {
			t.Errorf("science request after the form: %+v", got2)
		}
		// The answer is a fact with its provenance.
		hist, err := facts.History(w.ctx, db, e.ID, "employees")
		if err != nil {
			t.Fatal(err)
		}
		if last := hist[len(hist)-1]; last.Source != SelfReport || last.Actor != "liaison" || last.Value.String() != "135" {
			t.Errorf("newest employees fact %+v", last)
		}
		if w.audited("touch_request.file") != 2 || w.audited("touch_form.submit") != 1 || w.audited("facts.report") != 1 {
			t.Error("filing, the form and the facts it reported are not all audited")
		}
		if len(events) != 1 || !slices.Equal(events[0].Enterprises, []int64{e.ID}) ||
			!slices.Equal(events[0].Fields, []string{"employees", "hnte_certified", "total_assets"}) || events[0].Source != SelfReport {
			t.Errorf("facts changed events %+v, want one for the enterprise's three fields", events)
		}
		// Nothing left to ask.
		if form, _ := w.svc.Form(w.ctx, liaison, e.ID); !form.Empty() {
			t.Errorf("form after answering: %+v", form)
		}
	})
}

func TestFileRefuses(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		stats := w.user("stats", auth.RoleDepartment, "stats", 0)
		valid := func() RequestSpec { return onSite(e.ID, KindInspection, "2025-03-10", "2025-03-20", t) }
		tests := []struct {
			name   string
			actor  auth.Principal
			change func(*RequestSpec)
			code   apperr.Code
			field  string
		}{
			{"unknown kind", stats, func(s *RequestSpec) { s.Kind = "raid" }, apperr.Invalid, "kind"},
			{"no basis", stats, func(s *RequestSpec) { s.Basis = "  " }, apperr.Invalid, "basis"},
			{"window backwards", stats, func(s *RequestSpec) { s.Latest = s.Earliest - 1 }, apperr.Invalid, "window"},
			{"window in the past", stats, func(s *RequestSpec) {
				s.Earliest, s.Latest = mustDate(t, "2025-02-01"), mustDate(t, "2025-02-10")
			}, apperr.Invalid, "window"},
			{"window of two years", stats, func(s *RequestSpec) { s.Latest = s.Earliest + 800 }, apperr.Invalid, "window"},
			{"remote without items", stats, func(s *RequestSpec) { s.OnSite = false }, apperr.Invalid, "items"},
			{"unknown field", stats, func(s *RequestSpec) { s.Fields = []FieldWant{{Field: "shoe_size"}} }, apperr.Invalid, "fields"},
			{"confidential field of another department", stats, func(s *RequestSpec) { s.Fields = []FieldWant{{Field: "vat_sales"}} }, apperr.Invalid, "fields"},
			{"period of the wrong shape", stats, func(s *RequestSpec) { s.Fields = []FieldWant{{Field: "revenue", Period: "2024-01"}} }, apperr.Invalid, "fields"},
			{"unknown exemption", stats, func(s *RequestSpec) { s.Exemption = "vip" }, apperr.Invalid, "exemption"},
			{"for another department", stats, func(s *RequestSpec) { s.Department = "tax" }, apperr.Forbidden, ""},
			{"a commissioner files nothing", w.commissioner("c1"), func(s *RequestSpec) { s.Department = "stats" }, apperr.Forbidden, ""},
			{"a liaison files nothing", w.user("l1", auth.RoleEnterprise, "", e.ID), func(s *RequestSpec) { s.Department = "stats" }, apperr.Forbidden, ""},
			{"unknown enterprise", stats, func(s *RequestSpec) { s.EnterpriseID = 999999 }, apperr.NotFound, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				spec := valid()
				tt.change(&spec)
				_, err := w.svc.File(w.ctx, tt.actor, spec)
				if apperr.CodeOf(err) != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				if tt.field != "" {
					ps := apperr.ProblemsOf(err)
					if len(ps) == 0 || ps[0].Field != tt.field {
						t.Errorf("problems %+v, want one on %s", ps, tt.field)
					}
				}
			})
		}
		var n int
		if err := db.QueryRow(w.ctx, "SELECT COUNT(*) FROM touch_requests").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d requests recorded by refused filings (%v)", n, err)
		}
	})
}

// TestJourney is the journey through the domain: a department
// files two requests for one enterprise, one joint visit is planned, the
// liaison confirms it, the commissioner logs it, and the department sees
// the outcome of each.
func TestJourney(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		commissioner := w.commissioner("zhuanyuan", e.ID)
		dept := w.user("emergency", auth.RoleDepartment, "emergency", 0)
		liaison := w.user("liaison", auth.RoleEnterprise, "", e.ID)
		survey := w.file(dept, onSite(e.ID, KindVisit, "2025-03-05", "2025-03-21", t))
		spec := onSite(e.ID, KindInspection, "2025-03-10", "2025-03-28", t)
		spec.CheckItems = []string{"消防通道畅通", "危化品台账"}
		inspection := w.file(dept, spec)

		res := w.plan("2025-03-03", "2025-04-30")
		if res.NewVisits != 1 || res.Planned != 2 {
			t.Fatalf("plan: %d visits for %d requests, want one joint visit for both; %+v", res.NewVisits, res.Planned, res.Plan.Unmet)
		}
		visits, err := w.svc.Visits(w.ctx, liaison, VisitFilter{Open: true})
		if err != nil || len(visits) != 1 {
			t.Fatalf("liaison sees %d visits (%v)", len(visits), err)
		}
		v := visits[0]
		if v.Day != mustDate(t, "2025-03-21") || len(v.Requests) != 2 || v.Status != VisitProposed {
			t.Fatalf("visit %+v", v)
		}
		// Another enterprise's liaison sees nothing of it.
		other := w.enterprise("C3911")
		stranger := w.user("stranger", auth.RoleEnterprise, "", other.ID)
		if err := w.svc.Confirm(w.ctx, stranger, v.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a stranger confirming: %v", err)
		}
		if err := w.svc.Confirm(w.ctx, liaison, v.ID); err != nil {
			t.Fatal(err)
		}
		// Logging before the day is refused.
		log := VisitLog{Outcomes: map[int64]Outcome{survey.ID: {Done: true, Note: "走访完成"}, inspection.ID: {Done: false, Note: "危化品台账未备齐，限期补交"}},
			Note: "联合走访", Problems: []ProblemSpec{{Department: "emergency", Text: "希望简化危化品备案流程"}}}
		if err := w.svc.Log(w.ctx, commissioner, v.ID, log); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("logging a future visit: %v", err)
		}
		w.day("2025-03-21")
		if err := w.svc.Log(w.ctx, commissioner, v.ID, VisitLog{Outcomes: map[int64]Outcome{survey.ID: {Done: true}}}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a log without every request's outcome: %v", err)
		}
		if err := w.svc.Log(w.ctx, commissioner, v.ID, log); err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.Request(w.ctx, dept, inspection.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusNotDone || got.OutcomeNote != "危化品台账未备齐，限期补交" || got.VisitDay != v.Day || got.VisitStatus != VisitDone {
			t.Errorf("the department sees %+v", got)
		}
		for _, it := range got.Items {
			if it.Answer != AnswerNotDone {
				t.Errorf("check item %q: %s", it.Label, it.Answer)
			}
		}
		if got, _ := w.svc.Request(w.ctx, dept, survey.ID); got.Status != StatusDone {
			t.Errorf("survey %s", got.Status)
		}
		done, err := w.svc.Visit(w.ctx, commissioner, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != VisitDone || len(done.Problems) != 1 || done.Problems[0].Text != "希望简化危化品备案流程" {
			t.Errorf("visit after the log: %+v", done)
		}
		// Another department sees neither request.
		tax := w.user("tax", auth.RoleDepartment, "tax", 0)
		if _, err := w.svc.Request(w.ctx, tax, survey.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another department reading the request: %v", err)
		}
		if list, _ := w.svc.Requests(w.ctx, tax, RequestFilter{}); len(list) != 0 {
			t.Errorf("another department lists %d requests", len(list))
		}
		if list, _ := w.svc.Requests(w.ctx, dept, RequestFilter{}); len(list) != 2 {
			t.Errorf("the department lists %d requests", len(list))
		}
		for _, action := range []string{"touch.plan", "visit.confirm", "visit.log"} {
			if w.audited(action) != 1 {
				t.Errorf("%s audited %d times", action, w.audited(action))
			}
		}
	})
}

func TestPlanJoinsOpenVisitsAndRecordsUnmet(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		w.commissioner("c", e.ID)
		market := w.user("market", auth.RoleDepartment, "market", 0)
		hrss := w.user("hrss", auth.RoleDepartment, "hrss", 0)
		first := w.file(market, onSite(e.ID, KindInspection, "2025-03-10", "2025-03-25", t))
		if res := w.plan("2025-03-03", "2025-03-31"); res.NewVisits != 1 {
			t.Fatalf("first plan: %+v", res)
		}
		// Filed later, its window holds the planned day: it joins.
		late := w.file(hrss, onSite(e.ID, KindVisit, "2025-03-20", "2025-04-30", t))
		res := w.plan("2025-03-03", "2025-03-31")
		if res.Joined != 1 || res.NewVisits != 0 {
			t.Fatalf("second plan: %+v", res)
		}
		if a, b := w.request(first.ID), w.request(late.ID); a.VisitID != b.VisitID || b.Status != StatusPlanned {
			t.Errorf("requests on visits %d and %d", a.VisitID, b.VisitID)
		}
		// Quiet rules make a window impossible: the reason is recorded.
		if err := w.svc.SetRules(w.ctx, auth.System("test"), RulesScope{ParkID: w.park.ID},
			&QuietRules{Windows: []QuietWindow{{FirstDay: 1, LastDay: 20}}}); err != nil {
			t.Fatal(err)
		}
		quiet := w.file(market, onSite(e.ID, KindInspection, "2025-04-01", "2025-04-18", t))
		w.plan("2025-03-03", "2025-04-30")
		if got := w.request(quiet.ID); got.Status != StatusPending || got.UnmetReason != ReasonQuiet {
			t.Errorf("quiet request: %s %s", got.Status, got.UnmetReason)
		}
		// An enterprise's own rules replace its park's.
		if err := w.svc.SetRules(w.ctx, auth.System("test"), RulesScope{EnterpriseID: e.ID}, &QuietRules{MonthlyCap: 3}); err != nil {
			t.Fatal(err)
		}
		w.plan("2025-03-03", "2025-04-30")
		if got := w.request(quiet.ID); got.Status != StatusPlanned {
			t.Errorf("with the enterprise's own rules the request is %s (%s)", got.Status, got.UnmetReason)
		}
		if w.audited("quiet_rules.set") != 2 {
			t.Error("rules changes not audited")
		}
		list, err := ListRules(w.ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Scope.ParkID != w.park.ID || list[1].Scope.EnterpriseID != e.ID || list[1].Rules.MonthlyCap != 3 ||
			FormatWindows(list[0].Rules.Windows) != "1-20" {
			t.Errorf("rules listed %+v", list)
		}
	})
}

func TestCapRefusalKeepsItsProof(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		w.commissioner("c", e.ID)
		if err := w.svc.SetRules(w.ctx, auth.System("test"), RulesScope{EnterpriseID: e.ID}, &QuietRules{MonthlyCap: 1}); err != nil {
			t.Fatal(err)
		}
		dept := w.user("ecology", auth.RoleDepartment, "ecology", 0)
		var ids []int64
		for _, window := range [][2]string{{"2025-03-03", "2025-03-07"}, {"2025-03-10", "2025-03-14"}} {
			ids = append(ids, w.file(dept, onSite(e.ID, KindInspection, window[0], window[1], t)).ID)
		}
		w.plan("2025-03-03", "2025-03-31")
		var refused Request
		for _, id := range ids {
			if r := w.request(id); r.UnmetReason == ReasonCap {
				refused = r
			}
		}
		if refused.UnmetProof == nil || !slices.Equal(refused.UnmetProof.Disjoint, ids) || refused.UnmetProof.Allowed != 1 {
			t.Fatalf("refused request %+v", refused)
		}
	})
}

func TestAskAnotherDayAndReschedule(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		c := w.commissioner("c", e.ID)
		liaison := w.user("liaison", auth.RoleEnterprise, "", e.ID)
		dept := w.user("market", auth.RoleDepartment, "market", 0)
		w.file(dept, onSite(e.ID, KindInspection, "2025-03-10", "2025-03-28", t))
		w.plan("2025-03-03", "2025-03-31")
		visits, _ := w.svc.Visits(w.ctx, c, VisitFilter{})
		v := visits[0]
		tests := []struct {
			name string
			day  string
		}{
			{"a Saturday", "2025-03-15"},
			{"outside the window", "2025-04-02"},
			{"in the past", "2025-03-01"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := w.svc.AskAnotherDay(w.ctx, liaison, v.ID, mustDate(t, tt.day), ""); apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("asking for %s: %v", tt.day, err)
				}
			})
		}
		if err := w.svc.AskAnotherDay(w.ctx, liaison, v.ID, mustDate(t, "2025-03-18"), "月底盘点"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Reschedule(w.ctx, c, v.ID, mustDate(t, "2025-03-18")); err != nil {
			t.Fatal(err)
		}
		got, _ := w.svc.Visit(w.ctx, liaison, v.ID)
		if got.Day != mustDate(t, "2025-03-18") || got.Status != VisitConfirmed || got.AskedDay != 0 {
			t.Errorf("after granting the asked day: %+v", got)
		}
		// The commissioner's own choice needs the liaison again.
		if err := w.svc.Reschedule(w.ctx, c, v.ID, mustDate(t, "2025-03-19")); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.svc.Visit(w.ctx, liaison, v.ID); got.Status != VisitProposed {
			t.Errorf("after moving it: %s", got.Status)
		}
		// Capacity holds: fill the 20th.
		if err := w.svc.SetCapacity(w.ctx, auth.System("test"), c.UserID, 0); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Reschedule(w.ctx, c, v.ID, mustDate(t, "2025-03-20")); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("rescheduling beyond capacity: %v", err)
		}
		if err := w.svc.Reschedule(w.ctx, liaison, v.ID, mustDate(t, "2025-03-20")); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a liaison rescheduling: %v", err)
		}
	})
}

func TestPortfolios(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		sys := auth.System("test")
		a := w.commissioner("a")
		b := w.commissioner("b")
		var chips, software []int64
		for range 3 {
			chips = append(chips, w.enterprise("C3973").ID)
			software = append(software, w.enterprise("I6513").ID)
		}
		n, err := w.svc.AutoAssign(w.ctx, sys, AutoAssignSpec{Industry: "C", Commissioners: []int64{a.UserID, b.UserID}})
		if err != nil || n != 3 {
			t.Fatalf("auto-assign manufacturing: %d, %v", n, err)
		}
		n, err = w.svc.AutoAssign(w.ctx, sys, AutoAssignSpec{ParkID: w.park.ID, Commissioners: []int64{a.UserID, b.UserID}})
		if err != nil || n != 3 {
			t.Fatalf("auto-assign the rest of the park: %d, %v", n, err)
		}
		loads, err := w.svc.Loads(w.ctx, sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(loads) != 2 || loads[0].Enterprises != 3 || loads[1].Enterprises != 3 {
			t.Fatalf("loads %+v, want 3 and 3", loads)
		}
		// Assigning to b moves the enterprise away from a.
		if err := w.svc.Assign(w.ctx, sys, b.UserID, chips[:1]); err != nil {
			t.Fatal(err)
		}
		var owners int
		if err := db.QueryRow(w.ctx, "SELECT COUNT(*) FROM commissioner_enterprises WHERE enterprise_id = ?", chips[0]).Scan(&owners); err != nil || owners != 1 {
			t.Errorf("enterprise has %d commissioners (%v)", owners, err)
		}
		moved, err := w.svc.Reassign(w.ctx, sys, a.UserID, b.UserID, nil)
		if err != nil {
			t.Fatal(err)
		}
		loads, _ = w.svc.Loads(w.ctx, sys)
		if loads[0].Enterprises != 0 || loads[1].Enterprises != 6 || moved == 0 {
			t.Errorf("after reassigning all of a: %+v (moved %d)", loads, moved)
		}
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		if err := w.svc.Assign(w.ctx, officer, a.UserID, software); err != nil {
			t.Errorf("an officer assigning: %v", err)
		}
		if err := w.svc.Assign(w.ctx, b, a.UserID, software); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a commissioner assigning: %v", err)
		}
		liaison := w.user("liaison", auth.RoleEnterprise, "", software[0])
		if err := w.svc.Assign(w.ctx, sys, liaison.UserID, software); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("assigning to a liaison: %v", err)
		}
		if w.audited("portfolio.auto_assign") != 2 || w.audited("portfolio.reassign") != 1 {
			t.Error("portfolio changes not audited")
		}
	})
}

func TestWithdrawCancelsAnEmptyVisit(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		c := w.commissioner("c", e.ID)
		dept := w.user("market", auth.RoleDepartment, "market", 0)
		r := w.file(dept, onSite(e.ID, KindInspection, "2025-03-10", "2025-03-28", t))
		w.plan("2025-03-03", "2025-03-31")
		other := w.user("tax", auth.RoleDepartment, "tax", 0)
		if err := w.svc.Withdraw(w.ctx, other, r.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another department withdrawing: %v", err)
		}
		if err := w.svc.Withdraw(w.ctx, dept, r.ID); err != nil {
			t.Fatal(err)
		}
		visits, _ := w.svc.Visits(w.ctx, c, VisitFilter{})
		if len(visits) != 1 || visits[0].Status != VisitCancelled {
			t.Errorf("visits after withdrawing: %+v", visits)
		}
		if err := w.svc.Withdraw(w.ctx, dept, r.ID); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("withdrawing twice: %v", err)
		}
	})
}

func TestMeasures(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise("C3911")
		c := w.commissioner("c", e.ID)
		market := w.user("market", auth.RoleDepartment, "market", 0)
		stats := w.user("stats", auth.RoleDepartment, "stats", 0)
		w.fact(e.ID, "revenue", "2024", "1000", "import:x.csv", w.clock)
		a := w.file(market, onSite(e.ID, KindInspection, "2025-03-05", "2025-03-20", t))
		spec := onSite(e.ID, KindVisit, "2025-03-10", "2025-03-25", t)
		spec.Exemption = ExemptComplaint
		b := w.file(market, spec)
		cc := w.file(stats, onSite(e.ID, KindVisit, "2025-03-03", "2025-03-31", t))
		w.file(stats, RequestSpec{EnterpriseID: e.ID, Kind: KindDataReport, Basis: "统计法", Earliest: mustDate(t, "2025-03-03"),
			Latest: mustDate(t, "2025-03-31"), Fields: []FieldWant{{Field: "revenue"}}})
		w.plan("2025-03-03", "2025-03-31")
		visits, _ := w.svc.Visits(w.ctx, c, VisitFilter{})
		if len(visits) != 1 {
			t.Fatalf("%d visits for three overlapping requests", len(visits))
		}
		w.day(visits[0].Day.String())
		if err := w.svc.Log(w.ctx, c, visits[0].ID, VisitLog{Outcomes: map[int64]Outcome{a.ID: {Done: true}, b.ID: {Done: true}, cc.ID: {Done: true}}}); err != nil {
			t.Fatal(err)
		}
		leader := w.user("leader", auth.RoleLeader, "", 0)
		got, totals, err := w.svc.Measures(w.ctx, leader, mustDate(t, "2025-03-01").Month(), mustDate(t, "2025-03-31").Month())
		if err != nil {
			t.Fatal(err)
		}
		want := []Measure{
			{Month: got[0].Month, Department: "market", Requested: 2, OnSite: 2, Visits: 1, Exempt: 1},
			{Month: got[0].Month, Department: "stats", Requested: 2, OnSite: 1, Visits: 1, FromRegistry: 1},
		}
		if !slices.Equal(got, want) {
			t.Errorf("measures\n got %+v\nwant %+v", got, want)
		}
		if totals.Visits != 1 || totals.OnSiteServed != 3 || totals.Requested != 4 {
			t.Errorf("totals %+v: three on-site requests served by one visit", totals)
		}
		if _, _, err := w.svc.Measures(w.ctx, market, got[0].Month, got[0].Month); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a department reading the dashboard measures: %v", err)
		}
	})
}

func TestCalendarImport(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		n, err := w.svc.ImportCalendar(w.ctx, auth.System("test"), strings.NewReader("2025-04-04 holiday 清明节\n2025-04-27 workday 劳动节调休\n"), "2025.txt")
		if err != nil || n != 2 {
			t.Fatalf("import: %d, %v", n, err)
		}
		cal, err := LoadCalendar(w.ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if cal.IsWorkday(mustDate(t, "2025-04-04")) || !cal.IsWorkday(mustDate(t, "2025-04-27")) {
			t.Error("the imported days do not count")
		}
		// Importing again replaces the days it names.
		if _, err := w.svc.ImportCalendar(w.ctx, auth.System("test"), strings.NewReader("2025-04-04 workday 改为工作日\n"), "fix.txt"); err != nil {
			t.Fatal(err)
		}
		if cal, _ := LoadCalendar(w.ctx, db); !cal.IsWorkday(mustDate(t, "2025-04-04")) {
			t.Error("the second import did not replace the day")
		}
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		if _, err := w.svc.ImportCalendar(w.ctx, officer, strings.NewReader(""), "x"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("an officer importing the calendar: %v", err)
		}
	})
}
