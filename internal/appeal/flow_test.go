package appeal

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// TestFlowAcrossNationalDay moves one appeal through every state with the
// clock across 中秋 and 国庆 2026 (25–27 September, 1–7 October off;
// Sunday 20 September and Saturday 10 October worked), checking each
// deadline, the pause, the reminders and the escalations.
func TestFlowAcrossNationalDay(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise()
		other := w.enterprise()
		liaison := w.user("liaison", auth.RoleEnterprise, "", e.ID)
		stranger := w.user("stranger", auth.RoleEnterprise, "", other.ID)
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		market := w.user("market", auth.RoleDepartment, "market", 0)
		tax := w.user("tax", auth.RoleDepartment, "tax", 0)
		econ := w.user("econ", auth.RoleDepartment, "econ", 0)

		// Thursday 24 September, 10:00: filed in the portal. 审批许可 gives
		// 5 working days: the 25th to 27th and 1st to 7th are off.
		w.at("2026-09-24 10:00")
		id, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: e.ID, Category: "approval", Title: "环评审批进度咨询", Body: "新建厂房环评已提交两个月"})
		w.must(err)
		a := w.expect(officer, id, Received, LevelNone, "2026-10-09 10:00")
		if a.Source != FromPortal || a.AckDue.In(parkZone).Format("15:04") != "12:00" {
			t.Fatalf("source %s, ack due %s", a.Source, a.AckDue)
		}
		if _, err := w.svc.Get(w.ctx, stranger, id); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another enterprise sees the appeal: %v", err)
		}
		if err := w.svc.Accept(w.ctx, market, id); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a department accepted an appeal not routed to it: %v", err)
		}

		// 10:30: the receiving officer routes it to market regulation with
		// tax as co-handler.
		w.at("2026-09-24 10:30")
		w.must(w.svc.Assign(w.ctx, officer, id, "market", []string{"tax"}))
		w.expect(market, id, Assigned, LevelNone, "2026-10-09 10:00")
		for _, c := range []struct {
			who  auth.Principal
			want bool
		}{{market, true}, {tax, true}, {econ, false}, {liaison, true}, {stranger, false}} {
			list, _, err := w.svc.List(w.ctx, c.who, Filter{})
			w.must(err)
			if got := len(list) == 1; got != c.want {
				t.Errorf("%s sees %d appeals, want visible=%t", c.who.Label, len(list), c.want)
			}
		}
		if err := w.svc.Reply(w.ctx, tax, id, "co-handler replying"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a co-handler replied in the lead's place: %v", err)
		}
		w.at("2026-09-24 11:00")
		w.must(w.svc.Accept(w.ctx, market, id))

		// 50 % of 35 working hours is 17.5: Thursday 6, Monday 7, and
		// Tuesday 4.5 hours: 15:00 on the 29th.
		w.at("2026-09-29 14:59")
		if rep := w.sweep(); rep.Reminded != 0 {
			t.Fatalf("reminded early: %+v", rep)
		}
		w.at("2026-09-29 15:00")
		if rep := w.sweep(); rep.Reminded != 1 || rep.Escalated != 0 {
			t.Fatalf("at 50 %%: %+v", rep)
		}
		w.expect(market, id, InProgress, LevelHalf, "2026-10-09 10:00")

		// 16:00: the department asks for the drawings; the clock stops with
		// 18.5 working hours used.
		w.at("2026-09-29 16:00")
		w.must(w.svc.AskEnterprise(w.ctx, market, id, "请补充厂房平面图"))
		a = w.expect(market, id, Waiting, LevelHalf, "")
		if a.UsedMin != 1110 {
			t.Fatalf("used %d minutes, want 1110", a.UsedMin)
		}
		w.at("2026-10-08 10:00") // the 80 % point had the clock run on
		if rep := w.sweep(); rep.Reminded+rep.Escalated != 0 {
			t.Fatalf("a stopped clock raised a level: %+v", rep)
		}

		// Friday 9 October 9:00: the answer. 16.5 hours are left: Friday,
		// Saturday the 10th (worked), and 2.5 hours of Monday.
		w.at("2026-10-09 09:00")
		w.must(w.svc.Supply(w.ctx, liaison, id, "平面图已上传"))
		w.expect(market, id, InProgress, LevelHalf, "2026-10-12 11:30")

		// 10:00: transferred to tax with the reason; the clock runs on.
		w.at("2026-10-09 10:00")
		if err := w.svc.Transfer(w.ctx, market, id, "tax", ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a transfer without a reason: %v", err)
		}
		w.must(w.svc.Transfer(w.ctx, market, id, "tax", "涉及税务登记变更"))
		w.expect(tax, id, Assigned, LevelHalf, "2026-10-12 11:30")
		if _, err := w.svc.Get(w.ctx, market, id); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the department it left still sees it: %v", err)
		}

		// Monday 12 October, 12:00: past 80 % (Saturday 11:30) and the
		// deadline: reminded, then escalated to the department head.
		w.at("2026-10-12 12:00")
		if rep := w.sweep(); rep.Reminded != 1 || rep.Escalated != 1 {
			t.Fatalf("past the deadline: %+v", rep)
		}
		a = w.expect(tax, id, Assigned, LevelHead, "2026-10-12 11:30")
		if !a.Overdue {
			t.Fatal("not overdue past the deadline")
		}
		if list, _, _ := w.svc.List(w.ctx, officer, Filter{Overdue: true}); len(list) != 1 {
			t.Fatalf("the overdue list has %d", len(list))
		}
		// One working day later: the committee leader (督办).
		w.at("2026-10-13 11:29")
		if rep := w.sweep(); rep.Escalated != 0 {
			t.Fatalf("督办 early: %+v", rep)
		}
		w.at("2026-10-13 11:30")
		if rep := w.sweep(); rep.Escalated != 1 {
			t.Fatalf("督办: %+v", rep)
		}
		w.expect(tax, id, Assigned, LevelDuban, "2026-10-12 11:30")

		w.at("2026-10-13 15:00")
		w.must(w.svc.Reply(w.ctx, tax, id, "已协调办理税务变更"))
		a = w.expect(tax, id, Replied, LevelDuban, "")
		if a.OnTime == nil || *a.OnTime {
			t.Fatalf("a late reply counted on time: %v", a.OnTime)
		}

		// 不满意: back to tax with the full five days from now.
		w.at("2026-10-13 15:00")
		if err := w.svc.Rate(w.ctx, liaison, id, Unsatisfied, ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("不满意 without a comment: %v", err)
		}
		w.must(w.svc.Rate(w.ctx, liaison, id, Unsatisfied, "问题仍未解决"))
		a = w.expect(tax, id, InProgress, LevelNone, "2026-10-20 15:00")
		if a.Reopened != 1 {
			t.Fatalf("reopened %d", a.Reopened)
		}
		w.at("2026-10-14 10:00")
		w.must(w.svc.Reply(w.ctx, tax, id, "已办结"))
		w.must(w.svc.Rate(w.ctx, liaison, id, Satisfied, ""))
		a = w.expect(liaison, id, Closed, LevelNone, "")
		if a.ClosedAt.IsZero() {
			t.Fatal("closed without a time")
		}
		w.must(w.svc.Callback(w.ctx, officer, id, "企业表示满意"))
		if err := w.svc.Callback(w.ctx, liaison, id, "x"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("the liaison recorded a callback: %v", err)
		}
		kinds := []string{}
		for _, ev := range w.get(officer, id).Events {
			kinds = append(kinds, ev.Kind)
		}
		want := "filed assign accept level ask supply transfer level level level reply rate reply rate callback"
		if got := strings.Join(kinds, " "); got != want {
			t.Errorf("timeline %q\nwant     %q", got, want)
		}

		// The measures: received in September under market regulation
		// (moved there from "not routed"), the rest in October under tax.
		m, err := w.svc.Measures(w.ctx, officer, "2026-09", "2026-10")
		w.must(err)
		got := map[string]Measure{}
		for _, r := range m.Rows {
			got[r.Month+" "+r.Department] = r
		}
		if r := got["2026-09 market"]; r.Received != 1 {
			t.Errorf("September market: %+v", r)
		}
		if r := got["2026-09 "]; r.Received != 0 {
			t.Errorf("September unrouted: %+v", r)
		}
		if r := got["2026-10 tax"]; r.Replied != 2 || r.OnTime != 1 || r.Reopened != 1 || r.Rated != 2 || r.Satisfied != 1 || r.Closed != 1 {
			t.Errorf("October tax: %+v", r)
		}
		if m.Total.OnTimePct() != 50 || m.Total.SatisfiedPct() != 50 {
			t.Errorf("totals: on time %.0f%%, satisfied %.0f%%", m.Total.OnTimePct(), m.Total.SatisfiedPct())
		}
		if _, err := w.svc.Measures(w.ctx, liaison, "2026-09", "2026-10"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("the liaison read the measures: %v", err)
		}
		// The liaison was told of every change through the outbox.
		var notices int
		w.must(db.QueryRow(w.ctx, "SELECT COUNT(*) FROM outreach_notices WHERE kind = 'appeal_status' AND enterprise_id = ?", e.ID).Scan(&notices))
		if notices < 10 {
			t.Errorf("%d notices to the liaison", notices)
		}
		var audited int
		w.must(db.QueryRow(w.ctx, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'appeal' AND object_id = ?", itoa(id)).Scan(&audited))
		if audited < 14 {
			t.Errorf("%d audit entries", audited)
		}
	})
}

// TestSpringFestivalAndNewYear: deadlines across the nine days of the
// Spring Festival 2026, a deadline into 2027 unknown until its calendar
// is loaded, and then recomputed.
func TestSpringFestivalAndNewYear(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise()
		liaison := w.user("liaison", auth.RoleEnterprise, "", e.ID)
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		admin := w.user("admin", auth.RoleAdmin, "", 0)

		// 政策咨询: one working day. Friday 13 February 16:00: 1.5 hours on
		// Friday, then Saturday the 14th is worked.
		w.at("2026-02-13 16:00")
		a1, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: e.ID, Category: "policy", Title: "研发费用加计扣除"})
		w.must(err)
		w.expect(officer, a1, Received, LevelNone, "2026-02-14 16:00")
		// Saturday 14th 16:00: the next working day is Tuesday the 24th.
		w.at("2026-02-14 16:00")
		a2, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: e.ID, Category: "policy", Title: "高新技术企业认定条件"})
		w.must(err)
		w.expect(officer, a2, Received, LevelNone, "2026-02-24 16:00")

		// A complaint filed on 21 December 2026 runs into 2027: unknown.
		w.at("2026-12-21 10:00")
		a3, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: e.ID, Category: "complaint", Title: "园区道路施工影响通行"})
		w.must(err)
		a := w.expect(officer, a3, Received, LevelNone, "")
		if a.DueProblem == "" {
			t.Fatal("an unknown deadline without the reason")
		}
		if _, err := w.svc.LoadCalendar(w.ctx, officer, strings.NewReader("year 2027 x\n"), "2027.txt"); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("an officer loaded a calendar: %v", err)
		}
		file := "year 2027 国办发明电〔2026〕测试\n2027-01-01..2027-01-03 holiday 元旦\n"
		res, err := w.svc.LoadCalendar(w.ctx, admin, strings.NewReader(file), "2027.txt")
		w.must(err)
		if res.Recomputed != 3 || res.Days != 3 {
			t.Fatalf("load: %+v", res)
		}
		// 21 December 10:00 plus ten working days, 1 January off.
		w.expect(officer, a3, Received, LevelNone, "2027-01-05 10:00")

		// A correction of 2027 moves the deadline again.
		res, err = w.svc.LoadCalendar(w.ctx, admin, strings.NewReader("2027-01-04 holiday 测试更正\n"), "fix.txt")
		w.must(err)
		w.expect(officer, a3, Received, LevelNone, "2027-01-06 10:00")
		// A lone day of 2028 is refused: it would make 2028 look known.
		if _, err := w.svc.LoadCalendar(w.ctx, admin, strings.NewReader("2028-01-01 holiday 元旦\n"), "2028.txt"); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a lone day of 2028: %v", err)
		}
		// The sweep sees no change and recomputes nothing.
		if rep := w.sweep(); rep.Recomputed != 0 {
			t.Fatalf("recomputed without a change: %+v", rep)
		}
	})
}

func TestDuplicatesMergeAndKnowledge(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise()
		liaison := w.user("liaison", auth.RoleEnterprise, "", e.ID)
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		econ := w.user("econ", auth.RoleDepartment, "econ", 0)
		w.at("2026-03-02 10:00")
		a1, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: e.ID, Category: "policy", Title: "研发费用加计扣除比例是多少"})
		w.must(err)
		a2, err := w.svc.File(w.ctx, liaison, Spec{EnterpriseID: e.ID, Category: "policy", Title: "研发费用加计扣除比例咨询"})
		w.must(err)
		dups, err := w.svc.Duplicates(w.ctx, officer, a2)
		w.must(err)
		if len(dups) != 1 || dups[0].ID != a1 {
			t.Fatalf("duplicates of %d: %+v", a2, dups)
		}
		w.must(w.svc.Merge(w.ctx, officer, a2, a1))
		w.expect(officer, a2, Merged, LevelNone, "")
		w.must(w.svc.Assign(w.ctx, officer, a1, "econ", nil))
		w.must(w.svc.Accept(w.ctx, econ, a1))
		w.must(w.svc.Reply(w.ctx, econ, a1, "科技型中小企业研发费用按100%加计扣除。"))
		w.must(w.svc.Rate(w.ctx, liaison, a1, Basically, ""))
		found, err := w.svc.Search(w.ctx, liaison, "研发费用怎么加计扣除", 5)
		w.must(err)
		if len(found) != 1 || !strings.Contains(found[0].Answer, "100%") {
			t.Fatalf("knowledge base: %+v", found)
		}
		if found, _ := w.svc.Search(w.ctx, liaison, "厂房租金", 5); len(found) != 0 {
			t.Fatalf("unrelated search found %+v", found)
		}
	})
}

func TestTerms(t *testing.T) {
	got := terms("研发费用 R&D 2024年")
	for _, want := range []string{"研发", "发费", "费用", "r", "d", "2024", "年"} {
		if !slices.Contains(got, want) {
			t.Errorf("terms %v lack %q", got, want)
		}
	}
}

// TestVisitProblemsBecomeAppeals: the problems a commissioner logs at a
// visit ("将转为企业诉求办理") become appeals, each once, routed to the
// department named.
func TestVisitProblemsBecomeAppeals(t *testing.T) {
	withDB(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		e := w.enterprise()
		officer := w.user("officer", auth.RoleOfficer, "", 0)
		commissioner := w.user("commissioner", auth.RoleCommissioner, "", 0)
		commissioner.Portfolio = []int64{e.ID}
		w.at("2026-11-02 10:00")
		stamp := "2026-11-02T02:00:00.000Z"
		var visit int64
		w.must(db.QueryRow(w.ctx, `INSERT INTO touch_visits (enterprise_id, commissioner_id, day, earliest, latest, status, created_at, updated_at)
VALUES (?, ?, '2026-11-02', '2026-11-02', '2026-11-02', 'done', ?, ?) RETURNING id`, e.ID, commissioner.UserID, stamp, stamp).Scan(&visit))
		for _, p := range []struct{ dept, text string }{{"emergency", "希望简化危化品备案流程"}, {"", "员工子女入学咨询"}} {
			_, err := db.Exec(w.ctx, `INSERT INTO touch_problems (visit_id, enterprise_id, department_code, text, raised_by, raised_at) VALUES (?, ?, ?, ?, 'commissioner', ?)`,
				visit, e.ID, nullText(p.dept), p.text, stamp)
			w.must(err)
		}
		n, err := w.svc.TakeUpVisitProblems(w.ctx, commissioner, visit)
		w.must(err)
		if n != 2 {
			t.Fatalf("took up %d problems", n)
		}
		if rep := w.sweep(); rep.TakenUp != 0 {
			t.Fatalf("a problem taken up twice: %+v", rep)
		}
		list, _, err := w.svc.List(w.ctx, officer, Filter{})
		w.must(err)
		routed := map[string]Status{}
		for _, a := range list {
			if a.Source != FromVisit {
				t.Errorf("source %s", a.Source)
			}
			routed[a.Title] = a.Status
		}
		if routed["希望简化危化品备案流程"] != Assigned || routed["员工子女入学咨询"] != Received {
			t.Fatalf("routing: %v", routed)
		}
		var linked int
		w.must(db.QueryRow(w.ctx, "SELECT COUNT(*) FROM touch_problems WHERE appeal_id IS NOT NULL").Scan(&linked))
		if linked != 2 {
			t.Fatalf("%d problems linked to their appeals", linked)
		}
	})
}
