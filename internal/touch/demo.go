package touch

import (
	"context"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// DemoOptions says whom the demo's touch requests concern.
type DemoOptions struct {
	// Portfolio is the demo commissioner's enterprises; Showcase, among
	// them, is the demo liaison's.
	Portfolio []int64
	Showcase  int64
	Now       time.Time
	// Enterprises is how many of the portfolio get requests (0: 40).
	Enterprises int
}

// DemoReport says what LoadDemo made.
type DemoReport struct {
	Requests, Joined, Visits int
}

// demoRequest is one kind of request the departments of the demo file.
type demoRequest struct {
	dept   string
	kind   Kind
	basis  string
	onSite bool
	fields []FieldWant
	items  []string
}

var demoRequests = []demoRequest{
	{dept: "econ", kind: KindVisit, basis: "年度重点企业走访：了解经营情况、用工和用地需求", onSite: true},
	{dept: "emergency", kind: KindInspection, basis: "安全生产例行检查（《安全生产法》第六十五条）", onSite: true,
		items: []string{"危险化学品储存台账", "消防通道与应急照明"}},
	{dept: "stats", kind: KindDataReport, basis: "规模以上工业企业年报（《统计法》第七条）", fields: []FieldWant{{Field: "employees"}, {Field: "revenue"}}},
	{dept: "ecology", kind: KindInspection, basis: "排污许可证执行情况检查", onSite: true, items: []string{"排污许可证", "自行监测记录"}},
	{dept: "market", kind: KindMaterials, basis: "质量信用档案材料收集", items: []string{"近三年产品质量检验报告"}},
}

// LoadDemo files the departments' requests of the demo park — the
// showcase enterprise gets a visit, an inspection and a data report, so
// that its liaison has a visit to confirm and a form to fill — and plans
// the on-site ones into joint visits for the demo commissioner, as
// `parkdesk schedule` would.
func (s *Service) LoadDemo(ctx context.Context, opts DemoOptions) (DemoReport, error) {
	var rep DemoReport
	svc := &Service{DB: s.DB, Now: func() time.Time { return opts.Now }, DefaultCapacity: s.DefaultCapacity}
	actor := auth.System("demo")
	today := workday.Of(opts.Now)
	n := opts.Enterprises
	if n <= 0 {
		n = 40
	}
	file := func(e int64, r demoRequest, k int) error {
		start := today + workday.Date(1+k%5)
		spec := RequestSpec{EnterpriseID: e, Department: r.dept, Kind: r.kind, Basis: r.basis, Earliest: start, Latest: start + 14,
			OnSite: r.onSite, Minutes: 60, Fields: r.fields, CheckItems: r.items}
		if !r.onSite {
			spec.Minutes = 0
		}
		if _, err := svc.File(ctx, actor, spec); err != nil {
			return fmt.Errorf("touch: demo request %s for %d: %w", r.dept, e, err)
		}
		rep.Requests++
		return nil
	}
	if opts.Showcase != 0 {
		for k, r := range demoRequests[:3] {
			if err := file(opts.Showcase, r, k); err != nil {
				return rep, err
			}
		}
	}
	for i, e := range opts.Portfolio {
		if i >= n {
			break
		}
		if e == opts.Showcase {
			continue
		}
		if err := file(e, demoRequests[i%len(demoRequests)], i); err != nil {
			return rep, err
		}
	}
	plan, err := svc.Plan(ctx, actor, today, today+30)
	if err != nil {
		return rep, fmt.Errorf("touch: plan the demo requests: %w", err)
	}
	rep.Joined, rep.Visits = plan.Joined, plan.NewVisits
	return rep, nil
}
