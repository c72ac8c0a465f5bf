package web

import "net/url"

// The rows of the investment projects, the cockpit and the monthly report
// (page_project_routes.go) in the route × role table. Officers and leaders
// read projects and indicators (the leader aggregated, read-only); only
// officers change projects. Departments, commissioners, liaisons, admins
// and the department's token see none of it.
func init() {
	signIn := 303
	readers := func(ok int) statuses { return every(403).but(ok, "officer", "leader") }
	routeTable = append(routeTable, []routeRow{
		{pattern: "GET /projects", method: "GET", path: "/projects?stage=signed",
			want: readers(200).but(signIn, "anonymous", "token")},
		{pattern: "POST /projects/import", method: "POST", path: "/projects/import", form: url.Values{},
			want: every(403).but(422, "officer").but(401, "anonymous")},
		{pattern: "GET /projects/{code}", method: "GET", path: "/projects/NO-SUCH",
			want: readers(404).but(signIn, "anonymous", "token")},
		{pattern: "POST /projects/{code}/stage", method: "POST", path: "/projects/NO-SUCH/stage", form: url.Values{"stage": {"signed"}},
			want: every(403).but(404, "officer").but(401, "anonymous")},
		{pattern: "GET /cockpit", method: "GET", path: "/cockpit?period=2024-03",
			want: readers(200).but(signIn, "anonymous", "token")},
		{pattern: "GET /cockpit/report", method: "GET", path: "/cockpit/report?period=2024-03",
			want: readers(200).but(signIn, "anonymous", "token")},
		{pattern: "GET /cockpit/report.xlsx", method: "GET", path: "/cockpit/report.xlsx?period=2024-03",
			want: readers(200).but(signIn, "anonymous", "token")},
		{pattern: "GET /api/v1/projects", method: "GET", path: "/api/v1/projects",
			want: readers(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/projects/stalled", method: "GET", path: "/api/v1/projects/stalled",
			want: readers(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/projects/{code}", method: "GET", path: "/api/v1/projects/NO-SUCH",
			want: readers(404).but(401, "anonymous")},
		{pattern: "POST /api/v1/projects/{code}/stage", method: "POST", path: "/api/v1/projects/NO-SUCH/stage", json: `{"stage": "signed"}`,
			want: every(403).but(404, "officer").but(401, "anonymous")},
		{pattern: "GET /api/v1/indicators", method: "GET", path: "/api/v1/indicators?period=2024Q1",
			want: readers(200).but(401, "anonymous")},
		{pattern: "GET /api/v1/cockpit", method: "GET", path: "/api/v1/cockpit?period=2024-03",
			want: readers(200).but(401, "anonymous")},
	}...)
}
