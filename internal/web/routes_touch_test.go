package web

import "net/url"

// The rows of the commissioner system's routes (page_touch_routes.go) in
// the route × role table. Filing is for departments (their own) and
// officers; planning and logging visits for commissioners and officers;
// the liaison's visits and one form for the liaison; portfolios for
// admins and officers; the measures for those who see dashboards. Ids
// that do not exist are not found for everyone signed in.
func init() {
	signIn := 303
	filing := url.Values{"uscc": {"91330106MA2GL1234M"}, "department": {"tax"}, "kind": {"inspection"},
		"basis": {"《税收征收管理法》第五十四条"}, "earliest": {"2024-06-03"}, "latest": {"2024-06-14"}, "on_site": {"1"}, "minutes": {"60"}}
	routeTable = append(routeTable, []routeRow{
		{pattern: "GET /touch", method: "GET", path: "/touch",
			want: every(403).but(200, "officer", "department", "commissioner").but(signIn, "anonymous", "token")},
		{pattern: "POST /touch/requests", method: "POST", path: "/touch/requests", form: filing,
			want: every(403).but(303, "officer", "department").but(401, "anonymous")},
		{pattern: "GET /touch/requests/{id}", method: "GET", path: "/touch/requests/999999",
			want: every(404).but(signIn, "anonymous", "token")},
		{pattern: "POST /touch/requests/{id}/withdraw", method: "POST", path: "/touch/requests/999999/withdraw",
			want: every(404).but(401, "anonymous").but(403, "token")},
		{pattern: "GET /touch/visits", method: "GET", path: "/touch/visits",
			want: every(403).but(200, "officer", "commissioner").but(signIn, "anonymous", "token")},
		{pattern: "POST /touch/plan", method: "POST", path: "/touch/plan", form: url.Values{"from": {"2024-06-03"}, "to": {"2024-08-30"}},
			want: every(403).but(200, "officer", "commissioner").but(401, "anonymous")},
		{pattern: "GET /touch/visits/{id}", method: "GET", path: "/touch/visits/999999",
			want: every(404).but(signIn, "anonymous", "token")},
		{pattern: "POST /touch/visits/{id}/log", method: "POST", path: "/touch/visits/999999/log", form: url.Values{"note": {"x"}},
			want: every(404).but(401, "anonymous").but(403, "token")},
		{pattern: "POST /touch/visits/{id}/reschedule", method: "POST", path: "/touch/visits/999999/reschedule", form: url.Values{"day": {"2024-06-05"}},
			want: every(404).but(401, "anonymous").but(403, "token")},
		{pattern: "GET /touch/portfolios", method: "GET", path: "/touch/portfolios",
			want: every(403).but(200, "admin", "officer").but(signIn, "anonymous", "token")},
		{pattern: "POST /touch/portfolios/assign", method: "POST", path: "/touch/portfolios/assign",
			form: url.Values{"commissioner": {"999999"}, "usccs": {"91330106MA2GL1234M"}},
			want: every(403).but(422, "admin", "officer").but(401, "anonymous")},
		{pattern: "POST /touch/portfolios/auto", method: "POST", path: "/touch/portfolios/auto", form: url.Values{"industry": {"C"}},
			want: every(403).but(422, "admin", "officer").but(401, "anonymous")},
		{pattern: "POST /touch/rules", method: "POST", path: "/touch/rules", form: url.Values{"uscc": {"91330106MA2GL1234M"}, "windows": {"1-20"}, "monthly_cap": {"2"}},
			want: every(403).but(303, "admin", "officer").but(401, "anonymous")},
		{pattern: "GET /touch/measures", method: "GET", path: "/touch/measures",
			want: every(403).but(200, "officer", "leader").but(signIn, "anonymous", "token")},
		{pattern: "GET /portal/visits", method: "GET", path: "/portal/visits",
			want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/visits/{id}/confirm", method: "POST", path: "/portal/visits/999999/confirm",
			want: every(403).but(404, "enterprise").but(401, "anonymous")},
		{pattern: "POST /portal/visits/{id}/ask", method: "POST", path: "/portal/visits/999999/ask", form: url.Values{"day": {"2024-06-05"}},
			want: every(403).but(404, "enterprise").but(401, "anonymous")},
		{pattern: "POST /portal/form", method: "POST", path: "/portal/form", form: url.Values{"f:hnte_certified:": {"true"}},
			want: every(403).but(422, "enterprise").but(401, "anonymous")},
	}...)
}
