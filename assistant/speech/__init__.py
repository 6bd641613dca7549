"""Speech to text: local faster-whisper first, the OpenAI transcription API as the fallback.

    speech = Speech(config)                       # nothing loaded yet
    transcript = await speech.transcribe_async(Path("voice.oga"))
    transcript.text, transcript.engine            # "Lunch with Anna tomorrow at 1 p.m.", "local"

Every call runs on one dedicated worker thread, so one model is loaded (lazily, once) and voice notes
are transcribed one after another; the bot's event loop never waits on the CPU.
"""
from assistant.speech.command import run_transcribe_command
from assistant.speech.result import NoSpeech, SpeechError, Transcript
from assistant.speech.prompt import DEFAULT_PROMPT
from assistant.speech.service import Speech

__all__ = ["DEFAULT_PROMPT", "NoSpeech", "Speech", "SpeechError", "Transcript", "run_transcribe_command"]
