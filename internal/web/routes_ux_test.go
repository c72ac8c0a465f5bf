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
