"""Transcription, no Qt: faster-whisper on a take's audio and everything that makes its transcript
trustworthy.

* transcriber.py — the engine (model, decoding only where voice detection hears speech, hotwords);
  speech_only.py — the speech stretches; audio_decode.py — a file's audio as 16 kHz mono
* filters.py, repair.py, term_recheck.py, forced_score.py — guards against invented text, re-heard
  openings and gaps, the near-miss recheck of the team's terms by forced alignment
* pipeline.py — transcript + terms + speech metrics for one file (`rolecall transcribe`)
* process.py — the engine in a child process (Cancel kills it, a crash fails only the job);
  jobs.py — the station's queue of takes to transcribe, writing segments as they arrive
* results.py — plain results (words, segments, transcript); subtitles.py — SRT, WebVTT, TXT, JSON
"""
