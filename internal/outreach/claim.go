package outreach

import (
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// claimOf is how an offer of the policy made from a result of onDate is
// claimed: the policy's claim mode, and by when, the filing period first
// for a refund dated by one (it is applied for in that month's filing
// period, not by the policy's end).
func claimOf(p *policy.Policy, onDate string) (policy.Mode, policy.Texts) {
	c := p.Claim()
	mode := c.Mode
	if mode == "" {
		mode = p.Mode()
	}
	by := c.By
	on, err := time.Parse(time.DateOnly, onDate)
	if err != nil {
		return mode, by
	}
	if filing, month := p.ClaimPeriods(on); filing != "" {
		fy, fm := yearMonth(filing)
		ty, tm := yearMonth(month)
		by = policy.Texts{
			Zh: fmt.Sprintf("%d年%d月纳税申报期内（税款所属期%d年%d月）；%s", fy, fm, ty, tm, c.By.Zh),
			En: fmt.Sprintf("within the %s filing period (tax month %s); %s", filing, month, c.By.En),
		}
	}
	return mode, by
}

func yearMonth(period string) (int, int) {
	var y, m int
	fmt.Sscanf(period, "%d-%d", &y, &m)
	return y, m
}

// worthless reports whether an offer would promise nothing: a policy that
// computes an amount, and an amount of zero.
func worthless(p *policy.Policy, amount string) bool {
	if !p.HasAmount() {
		return false // a qualification is worth offering without a sum
	}
	f, ok := ParseFen(amount)
	return !ok || f <= 0
}

// claimStep names a claim mode and says what the enterprise does by it, in
// the message's words: a benefit claimed in its own tax filing is never
// announced as granted by a department.
func claimStep(mode policy.Mode, where policy.Texts) (name, step policy.Texts) {
	at := func(zhPrefix, enPrefix string) policy.Texts {
		if where.Zh == "" && where.En == "" {
			return policy.Texts{}
		}
		return policy.Texts{Zh: zhPrefix + where.Zh, En: enPrefix + where.En}
	}
	switch mode {
	case policy.Automatic:
		return policy.Texts{Zh: "免申即享", En: "granted without application"},
			policy.Texts{Zh: "无需申请，由主管部门直接兑现；请在企业服务平台确认享受意向，无需提交材料。",
				En: "no application: the department grants it; confirm on the enterprise service platform that you want it, no documents needed."}
	case policy.Confirm:
		w := at("兑现方式：", "how it is paid: ")
		return policy.Texts{Zh: "免申即享，需确认", En: "granted once you confirm"},
			policy.Texts{Zh: "请在企业服务平台确认享受意向，并按通知核对金额和账户，确认后兑现。" + w.Zh,
				En: "confirm on the enterprise service platform that you want it and check the amount and bank account as notified; it is paid after. " + w.En}
	case policy.SelfDeclare:
		w := at("在哪里申报：", "where: ")
		return policy.Texts{Zh: "纳税申报时自行享受", En: "claimed in your tax filing"},
			policy.Texts{Zh: "由贵企业在纳税申报时自行申报享受，无需审批，也不会有部门替您办理。" + w.Zh,
				En: "your enterprise claims it itself in its tax filing; no approval, and no department does it for you. " + w.En}
	}
	w := at("，到", " at ")
	return policy.Texts{Zh: "需申请", En: "apply"},
		policy.Texts{Zh: "请准备以下材料" + w.Zh + "申请：", En: "prepare these documents and apply" + w.En + ":"}
}
