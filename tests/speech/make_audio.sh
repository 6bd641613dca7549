#!/usr/bin/env bash
# Make the speech tests' audio fixtures: speech from espeak-ng and silence from sox, encoded as Telegram
# sends voice notes (mono OGG/Opus at 24 kbit/s, .oga). The outputs are committed (a few KB each); run this
# again only to change them:  tests/speech/make_audio.sh
set -euo pipefail
cd "$(dirname "$0")/audio"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

opus() {  # opus IN.wav OUT.oga
    ffmpeg -loglevel error -y -i "$1" -ac 1 -c:a libopus -b:a 24k -map_metadata -1 -fflags +bitexact \
        -flags:a +bitexact "$2"
}

speak() {  # speak VOICE WORDS-PER-MINUTE NAME TEXT
    espeak-ng -v "$1" -s "$2" -w "$tmp/$3.wav" "$4"
    opus "$tmp/$3.wav" "$3.oga"
}

speak en-us 150 lunch_anna "Lunch with Anna tomorrow at one p m"
speak en-us 150 remind_boris "Remind me to call Boris on Friday at three thirty p m"
speak de 160 erinnere_de "Erinnere mich morgen an das Treffen mit Anna"

sox -R -n -r 16000 -c 1 "$tmp/silence.wav" trim 0 4
opus "$tmp/silence.wav" silence.oga

# Quiet brown noise: no words in it, the kind of clip Whisper likes to "hear" a sign-off in.
sox -R -n -r 16000 -c 1 "$tmp/noise.wav" synth 4 brownnoise vol 0.05
opus "$tmp/noise.wav" noise.oga

printf 'This is a text file with an audio name, not a voice note.\n' > not_audio.oga
ls -l
