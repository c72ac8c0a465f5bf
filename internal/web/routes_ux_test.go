package web

import "net/url"

// The rows of issue 11's routes (usability) in the route × role table.
func init() {
	routeTable = append(routeTable, []routeRow{
		{pattern: "POST /admin/users/{id}/reset", method: "POST", path: "/admin/users/999999/reset",
			want: every(403).but(404, "admin").but(401, "anonymous")},
		{pattern: "POST /admin/users/{id}", method: "POST", path: "/admin/users/999999",
			form: url.Values{"role": {"officer"}}, want: every(403).but(404, "admin").but(401, "anonymous")},
	}...)
}

func init() {
	routeTable = append(routeTable, routeRow{pattern: "GET /touch/today", method: "GET", path: "/touch/today",
		want: every(403).but(200, "commissioner", "officer").but(303, "anonymous", "token")})
}

func init() {
	routeTable = append(routeTable,
		// Asking for data of the own enterprise: officers may file (422:
		// nothing chosen), departments too but only for their own
		// department; others may not file a request.
		routeRow{pattern: "POST /enterprises/{id}/results/{policy}/ask", method: "POST", path: "/enterprises/{own}/results/hnte/ask",
			want: every(403).but(422, "officer", "department").but(401, "anonymous")},
		routeRow{pattern: "POST /enterprises/{id}/results/{policy}/enter", method: "POST", path: "/enterprises/{own}/results/hnte/enter",
			form: url.Values{"source": {"审计报告"}, "f:employees:2023": {"81"}},
			want: every(403).but(303, "officer").but(401, "anonymous")})
}

func init() {
	routeTable = append(routeTable, routeRow{pattern: "POST /outreach/approve", method: "POST", path: "/outreach/approve",
		form: url.Values{"id": {"999999"}}, want: every(403).but(303, "officer").but(401, "anonymous")})
}

func init() {
	signIn := 303
	routeTable = append(routeTable,
		routeRow{pattern: "GET /enterprises.xlsx", method: "GET", path: "/enterprises.xlsx?q=企业",
			want: every(200).but(403, "enterprise").but(signIn, "anonymous", "token")},
		routeRow{pattern: "GET /policies/{id}/results.xlsx", method: "GET", path: "/policies/hnte/results.xlsx?status=undetermined",
			want: every(403).but(200, "officer", "commissioner").but(signIn, "anonymous", "token")},
		routeRow{pattern: "GET /policies/{id}/results.xlsx", method: "GET", path: "/policies/nope/results.xlsx",
			want: every(404).but(signIn, "anonymous", "token")},
		routeRow{pattern: "GET /outreach.xlsx", method: "GET", path: "/outreach.xlsx?status=all",
			want: every(403).but(200, "officer").but(signIn, "anonymous", "token")},
		routeRow{pattern: "GET /touch.xlsx", method: "GET", path: "/touch.xlsx",
			want: every(403).but(200, "officer", "department", "commissioner").but(signIn, "anonymous", "token")})
}
