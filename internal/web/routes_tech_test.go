package web

import "net/url"

// The rows of the technology desk (page_tech_routes.go) in the route × role
// table. The catalogue is public to every signed-in role; editing it,
// introductions and events are officers'; needs are the enterprise's own
// (its liaison, its commissioner, officers); measures are for those who
// see dashboards. Ids and codes that do not exist are not found for
// everyone who may get that far.
func init() {
	signIn := 303
	own := "91330106MA2GL1234M"
	other := "91330106MA2GL5678X"
	achievement := url.Values{"code": {"RT-1"}, "title": {"路由表测试成果"}, "holder": {"测试大学"}, "field": {"materials"}}
	need := url.Values{"uscc": {own}, "title": {"注塑件表面缩痕"}, "description": {"希望通过模流分析优化工艺"}}
	routeTable = append(routeTable, []routeRow{
		{pattern: "GET /tech", method: "GET", path: "/tech?q=磷酸铁锂",
			want: every(200).but(signIn, "anonymous", "token")},
		{pattern: "POST /tech/import", method: "POST", path: "/tech/import", form: url.Values{"kind": {"achievements"}},
			want: every(403).but(422, "officer").but(401, "anonymous")},
		{pattern: "GET /tech/achievements/new", method: "GET", path: "/tech/achievements/new",
			want: every(403).but(200, "officer").but(signIn, "anonymous", "token")},
		{pattern: "POST /tech/achievements", method: "POST", path: "/tech/achievements", form: achievement,
			want: every(403).but(303, "officer").but(401, "anonymous")},
		{pattern: "GET /tech/achievements/{code}", method: "GET", path: "/tech/achievements/NO-SUCH",
			want: every(404).but(signIn, "anonymous", "token")},
		{pattern: "GET /tech/achievements/{code}/edit", method: "GET", path: "/tech/achievements/NO-SUCH/edit",
			want: every(403).but(404, "officer").but(signIn, "anonymous", "token")},
		{pattern: "POST /tech/achievements/{code}/withdraw", method: "POST", path: "/tech/achievements/NO-SUCH/withdraw",
			want: every(403).but(404, "officer").but(401, "anonymous")},
		{pattern: "GET /tech/needs", method: "GET", path: "/tech/needs",
			want: every(403).but(200, "officer", "commissioner").but(signIn, "anonymous", "token", "enterprise")},
		{pattern: "POST /tech/needs", method: "POST", path: "/tech/needs", form: need,
			want: every(403).but(303, "officer", "commissioner", "enterprise").but(401, "anonymous")},
		{pattern: "POST /tech/needs", method: "POST", path: "/tech/needs", form: url.Values{"uscc": {other}, "title": {"别人的需求"}},
			want: every(403).but(303, "officer").but(404, "commissioner", "enterprise").but(401, "anonymous")},
		{pattern: "GET /tech/needs/{id}", method: "GET", path: "/tech/needs/999999",
			want: every(404).but(signIn, "anonymous", "token")},
		{pattern: "POST /tech/dockings", method: "POST", path: "/tech/dockings", form: url.Values{"enterprise": {"999999"}, "achievement": {"NO-SUCH"}},
			want: every(404).but(401, "anonymous").but(403, "token")},
		{pattern: "GET /tech/dockings", method: "GET", path: "/tech/dockings",
			want: every(403).but(200, "officer", "commissioner").but(signIn, "anonymous", "token", "enterprise")},
		{pattern: "GET /tech/dockings/{id}", method: "GET", path: "/tech/dockings/999999",
			want: every(404).but(signIn, "anonymous", "token")},
		{pattern: "POST /tech/dockings/{id}/advance", method: "POST", path: "/tech/dockings/999999/advance", form: url.Values{"stage": {"talks"}},
			want: every(404).but(401, "anonymous").but(403, "token")},
		{pattern: "GET /tech/events", method: "GET", path: "/tech/events",
			want: every(200).but(signIn, "anonymous", "token")},
		{pattern: "POST /tech/events", method: "POST", path: "/tech/events", form: url.Values{"title": {"路由表对接会"}, "held_on": {"2024-06-20"}},
			want: every(403).but(303, "officer").but(401, "anonymous")},
		{pattern: "GET /tech/events/{id}", method: "GET", path: "/tech/events/999999",
			want: every(404).but(signIn, "anonymous", "token")},
		{pattern: "POST /tech/events/{id}/holders", method: "POST", path: "/tech/events/999999/holders", form: url.Values{"holder": {"999999"}},
			want: every(403).but(404, "officer").but(401, "anonymous")},
		{pattern: "GET /portal/tech", method: "GET", path: "/portal/tech",
			want: every(403).but(200, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/tech/needs", method: "POST", path: "/portal/tech/needs", form: url.Values{"title": {"极片涂布不均匀"}},
			want: every(403).but(303, "enterprise").but(401, "anonymous")},
		{pattern: "GET /portal/tech/needs/{id}", method: "GET", path: "/portal/tech/needs/999999",
			want: every(403).but(404, "enterprise").but(signIn, "anonymous", "token")},
		{pattern: "POST /portal/tech/needs/{id}/close", method: "POST", path: "/portal/tech/needs/999999/close",
			want: every(403).but(404, "enterprise").but(401, "anonymous")},
		{pattern: "POST /portal/tech/events/{id}/signup", method: "POST", path: "/portal/tech/events/999999/signup",
			want: every(403).but(404, "enterprise").but(401, "anonymous")},

		{pattern: "GET /api/v1/tech/achievements", method: "GET", path: "/api/v1/tech/achievements?q=注塑",
			want: every(200).but(401, "anonymous")},
		{pattern: "POST /api/v1/tech/achievements", method: "POST", path: "/api/v1/tech/achievements",
			json: `{"code": "RT-2", "title": "接口测试成果", "holder": "测试大学", "field": "materials"}`,
			want: every(403).but(200, "officer").but(401, "anonymous")},
		{pattern: "GET /api/v1/tech/achievements/{code}", method: "GET", path: "/api/v1/tech/achievements/NO-SUCH",
			want: every(404).but(401, "anonymous")},
		{pattern: "GET /api/v1/tech/achievements/{code}/candidates", method: "GET", path: "/api/v1/tech/achievements/NO-SUCH/candidates",
			want: every(403).but(404, "officer").but(401, "anonymous")},
		{pattern: "GET /api/v1/tech/needs", method: "GET", path: "/api/v1/tech/needs",
			want: every(200).but(401, "anonymous")},
		{pattern: "POST /api/v1/tech/needs", method: "POST", path: "/api/v1/tech/needs", json: `{"uscc": "` + own + `", "title": "接口发布的需求"}`,
			want: every(403).but(201, "officer", "commissioner", "enterprise").but(401, "anonymous")},
		{pattern: "GET /api/v1/tech/needs/{id}/matches", method: "GET", path: "/api/v1/tech/needs/999999/matches",
			want: every(404).but(401, "anonymous")},
		{pattern: "GET /api/v1/tech/dockings", method: "GET", path: "/api/v1/tech/dockings",
			want: every(200).but(401, "anonymous")},
		{pattern: "POST /api/v1/tech/dockings", method: "POST", path: "/api/v1/tech/dockings", json: `{"enterprise": 999999, "achievement": "NO-SUCH"}`,
			want: every(404).but(401, "anonymous")},
		{pattern: "POST /api/v1/tech/dockings/{id}/advance", method: "POST", path: "/api/v1/tech/dockings/999999/advance", json: `{"stage": "talks"}`,
			want: every(404).but(401, "anonymous")},
		{pattern: "GET /api/v1/tech/measures", method: "GET", path: "/api/v1/tech/measures",
			want: every(403).but(200, "officer", "leader").but(401, "anonymous")},
	}...)
}
