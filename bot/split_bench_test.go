package bot

import (
	"fmt"
	"strings"
	"testing"
)

// benchReport is a confirmation like the one a /report gets: some 16 lines
// and 1.5 KB of Vietnamese with tags, entities and a mention, short enough
// to go out as one message.
var benchReport = func() string {
	var b strings.Builder
	b.WriteString("<b>✅ Đã ghi nhận báo cáo thi đua tháng 11</b>\n")
	b.WriteString("Đơn vị: <b>Hội Liên hiệp Phụ nữ xã Tân Phước</b>\n")
	b.WriteString("Người báo cáo: <a href=\"tg://user?id=123456789\">Nguyễn Thị Hồng Nhung</a>\n\n")
	for i := range 10 {
		fmt.Fprintf(&b, "%d. <i>Tiêu chí %d</i>: hoàn thành &lt;%d%%&gt; chỉ tiêu &amp; vượt kế hoạch — <code>TC-%02d</code>\n", i+1, i+1, 80+i, i+1)
	}
	b.WriteString("\nHạn chót kỳ sau: <b>05/12</b>. Gõ <code>/help</code> để xem hướng dẫn.")
	return b.String()
}()

// benchLong is a 10 KB results table that Split has to cut into parts.
var benchLong = func() string {
	var b strings.Builder
	for i := 0; b.Len() < 10<<10; i++ {
		fmt.Fprintf(&b, "<b>%d. Đơn vị thi đua số %d</b> — <i>điểm: %d</i> &amp; xếp loại <code>A&lt;%d&gt;</code> 🏆\n", i+1, i+1, 100-i%37, i%5)
	}
	return b.String()
}()

func BenchmarkSplit(b *testing.B) {
	for _, bc := range []struct {
		name, text string
		parts      int
	}{
		{"report1.5KB", benchReport, 1},
		{"long10KB", benchLong, 3},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if n := len(Split(bc.text, MaxMessageLen)); n != bc.parts {
				b.Fatalf("%d bytes gave %d parts, want %d", len(bc.text), n, bc.parts)
			}
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				Split(bc.text, MaxMessageLen)
			}
		})
	}
}
