"""The arithmetic that keeps audio on the capture clock (no devices needed)."""
import numpy as np

from recorder.take_audio import AudioAligner

SR = 1000


def blocks(aligner, times, size=100, stop=None):
    return [aligner.place(t, np.ones(size, np.float32), stop) for t in times]


def test_first_block_late_is_preceded_by_silence():
    a = AudioAligner(SR)
    out = a.place(0.05, np.ones(100, np.float32))
    assert out.size == 150 and not out[:50].any() and out[50:].all()


def test_first_block_before_start_is_trimmed():
    a = AudioAligner(SR)
    assert a.place(-0.03, np.ones(100, np.float32)).size == 70


def test_jitter_is_left_alone():
    a = AudioAligner(SR)
    outs = blocks(a, [i * 0.1 + (0.01 if i % 2 else -0.01) for i in range(50)])
    assert all(o.size == 100 for o in outs[1:])
    assert a.inserted == 0 and a.dropped == 10  # only the first block, captured 10 ms early


def test_a_gap_is_filled_with_silence_at_once():
    a = AudioAligner(SR)
    blocks(a, [0.0, 0.1, 0.2])
    out = a.place(1.3, np.ones(100, np.float32))
    assert out.size == 1100 and a.position == 1.4


def test_a_fast_device_clock_is_pulled_back_into_step():
    a = AudioAligner(SR)
    # the device delivers 100 samples every 0.095 s: it runs 5 % fast against the monotonic clock
    blocks(a, [i * 0.095 for i in range(200)])
    assert abs(a.position - (199 * 0.095 + 0.1)) <= 0.1
    assert a.dropped > 0


def test_a_slightly_slow_device_clock_stays_within_tolerance():
    a = AudioAligner(SR)
    blocks(a, [i * 0.1005 for i in range(2000)])  # 0.5 % slow, 200 s
    assert abs(a.position - (1999 * 0.1005 + 0.1)) <= 0.04
    assert a.inserted > 0


def test_stop_truncates_and_pad_fills():
    a = AudioAligner(SR)
    outs = blocks(a, [0.0, 0.1, 0.2], stop=0.25)
    assert [o.size for o in outs] == [100, 100, 50]
    assert a.pad_to(0.5).size == 250 and a.pad_to(0.4).size == 0


def test_blocks_captured_before_the_take_started_are_dropped():
    a = AudioAligner(SR)
    assert a.place(-0.5, np.ones(100, np.float32)).size == 0
    assert a.place(-0.05, np.ones(100, np.float32)).size == 50
    assert a.position == 0.05
