package tech

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/money"
)

func TestMeasuresWriteMoneyAsDecimalText(t *testing.T) {
	b, err := json.Marshal(Measures{Contracts: 1, ContractValue: money.Yuan(1_200_000), Months: []MonthCount{{Month: "2026-06", ContractValue: money.Yuan(5)}}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, `"contract_value":"1200000.00"`) || !strings.Contains(s, `"contract_value":"5.00"`) || strings.Count(s, "contract_value") != 2 {
		t.Errorf("JSON %s", s)
	}
}
