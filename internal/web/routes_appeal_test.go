package web

import "net/url"

// The rows of the appeals (page_appeal_routes.go, api_appeals.go) in the
// route × role table. The portal is the liaison's; the work list is for
// officers, departments and commissioners; filing from the phone or a
// visit for officers and commissioners (and a liaison for its own, as in
// the portal); the measures for those who see dashboards and for
// departments (their own); the calendar for admins. Ids that do not exist
// are not found for everyone signed in. A token (the tax bureau's) uses
// the API, where it sees its department's appeals.
func init() {
	signIn := 303
	own := "91330106MA2GL1234M"
	portalFiling := url.Values{"category": {"policy"}, "title": {"路由表测试诉求"}}
	staffFiling := url.Values{"uscc": {own}, "category": {"policy"}, "title": {"路由表测试诉求"}, "source": {"phone"}}
	routeTable = append(routeTable, []routeRow{
		{pattern: "GET /portal/appeals", method: "GET", path: "/portal/appeals?q=研发",
			want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/appeals", method: "POST", path: "/portal/appeals", form: portalFiling,
			want: every(403).but(303, "enterprise").but(401, "anonymous")},
		{pattern: "GET /portal/appeals/{id}", method: "GET", path: "/portal/appeals/999999",
			want: every(403).but(404, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/appeals/{id}/{action}", method: "POST", path: "/portal/appeals/999999/rate", form: url.Values{"rating": {"satisfied"}},
			want: every(403).but(404, "enterprise").but(401, "anonymous")},
		{pattern: "GET /appeals", method: "GET", path: "/appeals",
			want: every(403).but(200, "officer", "department", "commissioner").but(signIn, "anonymous", "token")},
		{pattern: "POST /appeals", method: "POST", path: "/appeals", form: staffFiling,
			want: every(403).but(303, "officer", "commissioner", "enterprise").but(401, "anonymous")},
		{pattern: "GET /appeals/measures", method: "GET", path: "/appeals/measures",
			want: every(403).but(200, "officer", "department", "leader").but(signIn, "anonymous", "token")},
		{pattern: "GET /appeals/measures.xlsx", method: "GET", path: "/appeals/measures.xlsx?from=2024-01&to=2024-12",
			want: every(403).but(200, "officer", "department", "leader").but(signIn, "anonymous", "token")},
		{pattern: "GET /appeals/{id}", method: "GET", path: "/appeals/999999",
			want: every(404).but(303, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /appeals/{id}/{action}", method: "POST", path: "/appeals/999999/reply", form: url.Values{"reply": {"x"}},
			want: every(404).but(401, "anonymous").but(403, "token")},
		{pattern: "GET /appeals/meetings", method: "GET", path: "/appeals/meetings",
			want: every(403).but(200, "officer", "leader").but(signIn, "anonymous", "token")},
		{pattern: "POST /appeals/meetings", method: "POST", path: "/appeals/meetings",
			form: url.Values{"kind": {"symposium"}, "title": {"路由表座谈会"}, "held_on": {"2024-05-20"}, "problems": {own + " 希望增加班车"}},
			want: every(403).but(303, "officer").but(401, "anonymous")},
		{pattern: "POST /appeals/teams/tasks/{id}/done", method: "POST", path: "/appeals/teams/tasks/999999/done",
			want: every(403).but(404, "officer").but(401, "anonymous")},
		{pattern: "GET /admin/calendar", method: "GET", path: "/admin/calendar",
			want: every(403).but(200, "admin").but(signIn, "anonymous", "token")},
		{pattern: "POST /admin/calendar", method: "POST", path: "/admin/calendar", form: url.Values{"file": {"x"}},
			want: every(403).but(422, "admin").but(401, "anonymous")},

		{pattern: "GET /api/v1/appeals", method: "GET", path: "/api/v1/appeals?status=open",
			want: every(200).but(401, "anonymous")},
		{pattern: "POST /api/v1/appeals", method: "POST", path: "/api/v1/appeals", json: `{"enterprise_id": 999999, "category": "policy", "title": "接口诉求"}`,
			want: every(404).but(401, "anonymous")},
		{pattern: "GET /api/v1/appeals/{id}", method: "GET", path: "/api/v1/appeals/999999",
			want: every(404).but(401, "anonymous")},
		{pattern: "POST /api/v1/appeals/{id}/{action}", method: "POST", path: "/api/v1/appeals/999999/reply", json: `{"reply": "x"}`,
			want: every(404).but(401, "anonymous")},
	}...)
}
