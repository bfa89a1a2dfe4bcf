package flow

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadSSE(t *testing.T) {
	for _, tt := range []struct {
		name    string
		stream  string
		limit   int64
		want    []string
		wantErr string
	}{
		{
			name:   "events, comments, CRLF, multi-line data, a last event without its blank line",
			stream: ": hi\r\nevent: message\r\ndata: {\"a\":\r\ndata:1}\r\n\r\nid: 2\nretry: 10\n\ndata: last",
			limit:  1 << 10,
			want:   []string{"{\"a\":\n1}", "last"},
		},
		{name: "longer than the limit", stream: "data: " + strings.Repeat("x", 100) + "\n\n", limit: 50, wantErr: "longer than 50 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := readSSE(strings.NewReader(tt.stream), tt.limit, func(d []byte) bool { got = append(got, string(d)); return false })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
	n := 0
	_ = readSSE(strings.NewReader("data: a\n\ndata: b\n\n"), 100, func([]byte) bool { n++; return true })
	if n != 1 {
		t.Errorf("fn returning true was called %d times, want the stream to stop after 1", n)
	}
}
