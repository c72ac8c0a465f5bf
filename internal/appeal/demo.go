package appeal

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// DemoOptions say how the demo park's appeals are made.
type DemoOptions struct {
	Enterprises []int64 // the enterprises that raise appeals (the commissioner's portfolio)
	Showcase    int64   // the demo liaison's enterprise: it gets appeals in every state and the special team
	Now         time.Time
	Seed        uint64
	Appeals     int // 240 when 0
}

// DemoReport says what LoadDemo made.
type DemoReport struct {
	Appeals  int
	ByStatus map[Status]int
	Meetings int
	Teams    int
}

var demoTitles = map[string][]string{
	"policy":    {"研发费用加计扣除如何申报", "高新技术企业认定条件咨询", "专精特新申报材料咨询", "稳岗补贴申领流程"},
	"approval":  {"新建厂房环评审批进度", "施工许可证办理", "危化品经营许可延续"},
	"land":      {"扩产需要新增用地", "标准厂房租赁续约", "仓储用房不足"},
	"finance":   {"流动资金贷款对接", "知识产权质押融资", "上市辅导咨询"},
	"talent":    {"引进博士的人才公寓", "员工子女入学", "高层次人才认定"},
	"utilities": {"厂区供电容量不足", "天然气管道接入", "园区道路积水"},
	"market":    {"商标被抢注", "参加展会补贴", "产品出口认证"},
	"complaint": {"周边施工噪声扰民", "物业收费不合理", "检查过于频繁"},
	"other":     {"希望组织供需对接会", "员工通勤班车"},
}

// LoadDemo makes a year of appeals in every state for the demo park,
// through the service with its clock moved along the year, as officers,
// departments and liaisons would have: routed, accepted, replied on time
// or late, rated (some 不满意 and reopened), waiting for the enterprise,
// overdue and escalated, merged; and the year's meetings and one special
// service team. A database with appeals is left alone.
func (s *Service) LoadDemo(ctx context.Context, opts DemoOptions) (DemoReport, error) {
	rep := DemoReport{ByStatus: map[Status]int{}}
	var have int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM appeals").Scan(&have); err != nil || have > 0 || len(opts.Enterprises) == 0 {
		return rep, err
	}
	if opts.Appeals <= 0 {
		opts.Appeals = 240
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x64656d6f))
	clock := opts.Now
	svc := &Service{DB: s.DB, Now: func() time.Time { return clock }}
	staff := auth.System("demo")
	cats := []string{"policy", "policy", "approval", "land", "finance", "talent", "utilities", "market", "complaint", "other"}
	depts := map[string]string{"policy": "tax", "approval": "market", "land": "invest", "finance": "econ", "talent": "hrss",
		"utilities": "industry", "market": "market", "complaint": "emergency", "other": "econ"}
	start := time.Date(opts.Now.Year()-1, opts.Now.Month(), opts.Now.Day(), 2, 0, 0, 0, time.UTC) // 10:00 in the park
	step := opts.Now.Sub(start) / time.Duration(opts.Appeals)
	var lastOpen = map[int64]int64{} // enterprise → an open appeal, for duplicates
	photo, err := demoPhoto()
	if err != nil {
		return rep, err
	}
	for i := range opts.Appeals {
		clock = start.Add(time.Duration(i) * step)
		e := opts.Enterprises[rng.IntN(len(opts.Enterprises))]
		if i%6 == 0 && opts.Showcase != 0 {
			e = opts.Showcase
		}
		cat := cats[rng.IntN(len(cats))]
		titles := demoTitles[cat]
		liaison := auth.Principal{Role: auth.RoleEnterprise, EnterpriseID: e, Label: "demo-liaison", UserID: -1}
		id, err := svc.File(ctx, liaison, Spec{EnterpriseID: e, Category: cat, Title: titles[rng.IntN(len(titles))],
			Body: "演示数据：企业在门户提出的诉求。", Source: FromPortal})
		if err != nil {
			return rep, fmt.Errorf("demo appeal %d: %w", i+1, err)
		}
		rep.Appeals++
		if i%12 == 0 {
			// Every twelfth comes with a photo of the site, as liaisons send.
			if _, err := svc.Attach(ctx, liaison, id, "现场照片.png", photo, false); err != nil {
				return rep, fmt.Errorf("demo appeal %d: %w", i+1, err)
			}
		}
		age := opts.Now.Sub(clock)
		fate := rng.IntN(100)
		later := func(h time.Duration) { clock = clock.Add(h) }
		recent := age < 20*24*time.Hour
		if prev, ok := lastOpen[e]; ok && fate < 4 && !recent {
			later(time.Hour)
			if err := svc.Merge(ctx, staff, id, prev); err == nil {
				continue
			}
		}
		if recent && fate < 25 {
			continue // still with the receiving officer
		}
		later(time.Hour)
		if err := svc.Assign(ctx, staff, id, depts[cat], nil); err != nil {
			return rep, err
		}
		if recent && fate < 45 {
			continue
		}
		later(2 * time.Hour)
		if err := svc.Accept(ctx, staff, id); err != nil {
			return rep, err
		}
		if recent && fate < 65 {
			lastOpen[e] = id
			continue
		}
		if fate%7 == 0 || recent && fate < 80 {
			later(24 * time.Hour)
			if err := svc.AskEnterprise(ctx, staff, id, "请补充相关证明材料"); err != nil {
				return rep, err
			}
			if recent {
				continue
			}
			later(3 * 24 * time.Hour)
			if err := svc.Supply(ctx, liaison, id, "材料已补充"); err != nil {
				return rep, err
			}
		}
		if !recent && fate >= 92 {
			lastOpen[e] = id
			continue // overdue: the sweep escalates it
		}
		// Most replies come within the time; one in eight late.
		days := 1 + rng.IntN(4)
		if fate%8 == 0 {
			days = 12
		}
		later(time.Duration(days) * 24 * time.Hour)
		if clock.After(opts.Now) {
			continue
		}
		if err := svc.Reply(ctx, staff, id, "已协调办理，具体意见如下：演示答复。"); err != nil {
			return rep, err
		}
		later(24 * time.Hour)
		if clock.After(opts.Now) || fate >= 85 {
			continue // replied, waiting for the enterprise's rating
		}
		if fate%10 == 3 {
			if err := svc.Rate(ctx, liaison, id, Unsatisfied, "问题没有解决"); err != nil {
				return rep, err
			}
			later(3 * 24 * time.Hour)
			if clock.After(opts.Now) {
				continue
			}
			if err := svc.Reply(ctx, staff, id, "已再次协调并解决。"); err != nil {
				return rep, err
			}
			later(24 * time.Hour)
		}
		rating := Satisfied
		if fate%5 == 1 {
			rating = Basically
		}
		if err := svc.Rate(ctx, liaison, id, rating, ""); err != nil {
			return rep, err
		}
		if fate%9 == 0 {
			later(5 * 24 * time.Hour)
			if err := svc.Callback(ctx, staff, id, "回访：企业表示满意。"); err != nil {
				return rep, err
			}
		}
	}
	clock = opts.Now
	if _, err := svc.Sweep(ctx); err != nil {
		return rep, err
	}
	if err := svc.demoMeetings(ctx, staff, opts, rng, &clock); err != nil {
		return rep, err
	}
	rep.Meetings = 3
	if opts.Showcase != 0 {
		today := workday.Of(opts.Now.In(parkZone))
		if _, err := svc.FormTeam(ctx, staff, TeamSpec{Name: "重点企业上市服务专班", EnterpriseID: opts.Showcase, Lead: "管委会副主任",
			Goal: "协调解决上市前的合规、用地和融资问题", Departments: []string{"econ", "market", "tax", "invest"},
			Tasks: []Task{
				{Title: "梳理历史沿革与股权结构", Department: "market", Due: today - 60},
				{Title: "补办厂房不动产权证", Department: "invest", Due: today - 10},
				{Title: "完成税务合规核查", Department: "tax", Due: today + 20},
				{Title: "报送辅导备案", Department: "econ", Milestone: true, Due: today + 45},
			}}); err != nil {
			return rep, err
		}
		rep.Teams = 1
		teams, err := svc.Teams(ctx, staff)
		if err == nil && len(teams) > 0 && len(teams[0].Tasks) > 0 {
			if err := svc.CompleteTask(ctx, staff, teams[0].Tasks[0].ID); err != nil {
				return rep, err
			}
		}
	}
	rows, err := s.DB.Query(ctx, "SELECT status, COUNT(*) FROM appeals GROUP BY status")
	if err != nil {
		return rep, err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return rep, err
		}
		rep.ByStatus[Status(st)] = n
	}
	return rep, rows.Err()
}

func (s *Service) demoMeetings(ctx context.Context, staff auth.Principal, opts DemoOptions, rng *rand.Rand, clock *time.Time) error {
	pick := func() int64 { return opts.Enterprises[rng.IntN(len(opts.Enterprises))] }
	meetings := []MeetingSpec{
		{Kind: Symposium, Title: "第三季度企业家座谈会", Minutes: "听取企业对营商环境的意见，现场答复八项，其余转为诉求办理。"},
		{Kind: BankMeeting, Title: "政企银融资对接座谈会", Minutes: "五家银行介绍科技信贷产品，三家企业提出融资需求。"},
		{Kind: ProjectMeeting, Title: "重点项目推进会", Minutes: "逐项目协调用地、施工许可与水电接入。"},
	}
	for i, m := range meetings {
		*clock = opts.Now.AddDate(0, -9+i*4, 0)
		if clock.After(opts.Now) {
			*clock = opts.Now
		}
		m.HeldOn = workday.Of(clock.In(parkZone))
		a, b := pick(), pick()
		m.Attendees = []Attendee{{Kind: "enterprise", EnterpriseID: a}, {Kind: "enterprise", EnterpriseID: b},
			{Kind: "department", Department: "econ"}, {Kind: "department", Department: "invest"}}
		if m.Kind == BankMeeting {
			m.Attendees = append(m.Attendees, Attendee{Kind: "bank", Name: "示例银行科技支行"})
		}
		m.Raised = []Raised{{EnterpriseID: a, Category: "finance", Title: "希望对接科技信贷产品", Department: "econ"},
			{EnterpriseID: b, Category: "land", Title: "项目二期用地指标", Department: "invest"}}
		if _, err := s.RecordMeeting(ctx, staff, m); err != nil {
			return fmt.Errorf("demo meeting %q: %w", m.Title, err)
		}
	}
	*clock = opts.Now
	return nil
}

// demoPhoto is a small picture standing for a liaison's photo of a site: a
// grey road under a blue sky.
func demoPhoto() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := range 120 {
		for x := range 160 {
			c := color.RGBA{R: 120, G: 170, B: 230, A: 255}
			if y > 70 {
				c = color.RGBA{R: 110, G: 110, B: 115, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("appeal: demo photo: %w", err)
	}
	return b.Bytes(), nil
}
