package demo

import (
	"math"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
)

func TestSectorsAreWellFormed(t *testing.T) {
	total := 0.0
	for _, s := range sectors {
		t.Run(s.key, func(t *testing.T) {
			if len(s.classes) == 0 || len(s.words) == 0 {
				t.Fatal("a sector needs classes and name words")
			}
			for _, code := range s.classes {
				if _, err := enterprise.LookupIndustry(code); err != nil || len(code) != 5 {
					t.Errorf("%s is not a class of GB/T 4754-2017: %v", code, err)
				}
				// Every class must be sizeable, or its firms would never
				// carry enterprise_size.
				y := yearFigures{revenue: 1e7, assets: 1e7, employees: 50}
				if _, ok := sizeClass(code, &y); !ok {
					t.Errorf("%s cannot be given a size class", code)
				}
			}
			if s.rdActive < 0 || s.rdActive > 1 || s.revenue <= 0 || s.revenuePerHead <= 0 || s.assetTurnover <= 0 {
				t.Errorf("implausible economics %+v", s)
			}
		})
		total += s.weight
	}
	if math.Abs(total-100) > 1e-9 {
		t.Errorf("sector weights sum to %v, want 100", total)
	}
}
