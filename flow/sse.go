package flow

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// readSSE reads a text/event-stream (WHATWG HTML §9.2, "Server-sent
// events") and calls fn with the data of each event, in order, until fn
// returns true or the stream ends. At most limit bytes are read; a longer
// stream, or a longer line, is an error rather than a silent cut.
func readSSE(r io.Reader, limit int64, fn func(data []byte) (done bool)) error {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 64<<10), int(min(limit, 1<<30)))
	var data bytes.Buffer
	have := false
	dispatch := func() bool {
		if !have {
			return false
		}
		done := fn(bytes.TrimSuffix(data.Bytes(), []byte("\n")))
		data.Reset()
		have = false
		return done
	}
	for sc.Scan() {
		line := bytes.TrimSuffix(sc.Bytes(), []byte("\r"))
		if len(line) == 0 {
			if dispatch() {
				return nil
			}
			continue
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		// Only data matters here: event names, ids and retry hints do not
		// change which JSON-RPC message an event carries.
		if string(field) == "data" {
			data.Write(value)
			data.WriteByte('\n')
			have = true
		}
	}
	if lr.N <= 0 {
		return fmt.Errorf("the event stream is longer than %d bytes; stopped reading", limit)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("an event-stream line is longer than %d bytes; stopped reading", limit)
		}
		return err
	}
	// A stream that ends without the blank line still delivers its last event.
	dispatch()
	return nil
}
