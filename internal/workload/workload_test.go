package workload

import (
	"fmt"
	"slices"
	"testing"
)

// TestTexts pins the texts: the figures of BENCHMARKS.md were measured
// with them, and a change would make later figures incomparable.
func TestTexts(t *testing.T) {
	for k, want := range []string{
		"Vận động xây 10 nhà đại đoàn kết cho hộ nghèo | 10 nhà | 30/11",
		"Phát triển hội viên mới, nội dung số 2 | 1.200 hội viên",
		"Tổ chức tuyên truyền, phổ biến pháp luật đợt 3 | 40%",
		"Vận động xây 13 nhà đại đoàn kết cho hộ nghèo | 13 nhà | 30/11",
	} {
		if got := PledgeLine(k); got != want {
			t.Errorf("PledgeLine(%d) = %q, want %q", k, got, want)
		}
	}
	want := []string{"1 5 đã khởi công 2 nhà", "2 1.050", "3 32%", "4 8 đã khởi công 5 nhà"}
	if got := ReportLines(4); !slices.Equal(got, want) {
		t.Errorf("ReportLines(4) = %q, want %q", got, want)
	}
	if got, want := Report(3), "1 5 đã khởi công 2 nhà\n2 1.050\n3 32%"; got != want {
		t.Errorf("Report(3) = %q, want %q", got, want)
	}
	for k := range 20 {
		if got, want := ReportLines(20)[k], fmt.Sprint(k+1); got[:len(want)+1] != want+" " {
			t.Errorf("line %d = %q, want it to start with the pledge's number", k, got)
		}
	}
}
