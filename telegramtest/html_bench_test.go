package telegramtest

import (
	"os"
	"testing"
)

// BenchmarkParseFormattedReport measures what the fake does with the text
// of a message the bot sends most under load: the confirmation of a report
// of twenty values (testdata/report_confirmation.html, as the load command's
// result scenario has the bot write it).
func BenchmarkParseFormattedReport(b *testing.B) {
	text, err := os.ReadFile("testdata/report_confirmation.html")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, e := parseFormatted(string(text), "HTML", "", messageText); e != nil {
			b.Fatal(e.description)
		}
	}
}
