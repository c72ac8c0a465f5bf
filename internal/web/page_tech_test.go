package web

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/tech"
)

// TestEveryTechPageRenders walks the desk's pages in both languages as
// each role that may open them, on a desk with a catalogue, a need, an
// introduction signed at an event: the page answers 200, speaks the
// language, and no message is missing from a catalog.
func TestEveryTechPageRenders(t *testing.T) {
	f := newWebFixture(t, store.SQLite)
	ctx := context.Background()
	desk := f.srv.techService()
	catalogue, err := os.ReadFile("../tech/testdata/handmade_achievements.csv")
	if err != nil {
		t.Fatal(err)
	}
	officer := f.as[auth.RoleOfficer]
	if _, err := desk.ImportAchievements(ctx, officer, "handmade_achievements.csv", catalogue, false); err != nil {
		t.Fatal(err)
	}
	n, err := desk.PostNeed(ctx, f.as[auth.RoleEnterprise], tech.NeedSpec{EnterpriseID: f.entA, Title: "PCB焊点缺陷自动检测",
		Description: "SMT产线焊点虚焊连锡靠人工目检，希望引入机器视觉。", Budget: "30万"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := desk.CreateEvent(ctx, officer, tech.EventSpec{Title: "电子信息专场对接会", HeldOn: "2024-05-20", Place: "科创中心"})
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.SignUpEnterprise(ctx, f.as[auth.RoleEnterprise], ev.ID, f.entA); err != nil {
		t.Fatal(err)
	}
	d, err := desk.Introduce(ctx, officer, tech.Introduction{EnterpriseID: f.entA, AchievementCode: "A07", NeedID: n.ID, EventID: ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Advance(ctx, officer, d.ID, tech.Progress{Stage: tech.StageSigned, Amount: "30万", Mode: "license", SignedOn: "2024-05-28"}); err != nil {
		t.Fatal(err)
	}
	staff := []auth.Role{auth.RoleAdmin, auth.RoleOfficer, auth.RoleDepartment, auth.RoleCommissioner, auth.RoleLeader}
	all := append(staff, auth.RoleEnterprise)
	need, dock, event := strconv.FormatInt(n.ID, 10), strconv.FormatInt(d.ID, 10), strconv.FormatInt(ev.ID, 10)
	pages := []struct {
		path  string
		roles []auth.Role
		want  string
	}{
		{"/tech", all, "A07"},
		{"/tech?q=焊点缺陷&field=electronics", all, "PCB"},
		{"/tech/achievements/A07", all, "PCB"},
		{"/tech/achievements/new", []auth.Role{auth.RoleOfficer}, `name="code"`},
		{"/tech/achievements/A07/edit", []auth.Role{auth.RoleOfficer}, "PCB"},
		{"/tech/needs", []auth.Role{auth.RoleOfficer}, "PCB"},
		{"/tech/needs/" + need, []auth.Role{auth.RoleOfficer}, "rec-A07"},
		{"/tech/dockings", []auth.Role{auth.RoleOfficer}, "杭州示例智能科技有限公司"},
		{"/tech/dockings/" + dock, []auth.Role{auth.RoleOfficer, auth.RoleEnterprise}, "/tech/achievements/A07"},
		{"/tech/events", all, "电子信息专场对接会"},
		{"/tech/events/" + event, all, "电子信息专场对接会"},
		{"/portal/tech", []auth.Role{auth.RoleEnterprise}, "PCB"},
		{"/portal/tech/needs/" + need, []auth.Role{auth.RoleEnterprise}, "rec-A07"},
		{"/dashboard", []auth.Role{auth.RoleOfficer, auth.RoleLeader}, `id="tech-contracts"`},
	}
	langs := []struct{ accept, htmlLang string }{{"zh-CN", `lang="zh-CN"`}, {"en", `lang="en"`}}
	for _, pg := range pages {
		for _, role := range pg.roles {
			for _, lang := range langs {
				t.Run(pg.path+"/"+string(role)+"/"+lang.accept, func(t *testing.T) {
					w := f.get(t, f.as[role], lang.accept, pg.path)
					body := w.Body.String()
					if w.Code != 200 {
						t.Fatalf("status %d, body:\n%.600s", w.Code, body)
					}
					if !strings.Contains(body, lang.htmlLang) {
						t.Errorf("page is not in %s", lang.accept)
					}
					if i := strings.Index(body, "⟦"); i >= 0 {
						t.Errorf("a message is missing from the catalog: %s", body[i:min(len(body), i+60)])
					}
					if pg.want != "" && !strings.Contains(body, pg.want) {
						t.Errorf("page lacks %q", pg.want)
					}
				})
			}
		}
	}
}
