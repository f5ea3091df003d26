/* voicecoach session page: follows the audio through the render's own timeline.
   No framework, no network. Everything is keyed on audio.currentTime. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("vc-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var audio = $("audio");
  var TOTAL = D.total_ms;
  var FELT = ["glutes", "low back", "hamstrings", "front of hip", "abs", "quads", "inner thigh", "other"];

  // events: [start, end, kind, text, cue_key, exercise, side, set, rep, chapter]
  var ev = D.events.map(function (a) {
    return { s: a[0], e: a[1], kind: a[2], text: a[3], key: a[4], ex: a[5], side: a[6],
             set: a[7], rep: a[8], ch: a[9] };
  });
  var spans = ev.filter(function (x) { return x.kind === "work" || x.kind === "rest"; });
  var spoken = ev.filter(function (x) {
    return (x.kind === "speech" || x.kind === "cue" || x.kind === "count") && x.text;
  });
  var works = spans.filter(function (x) { return x.kind === "work"; });

  function lastAtOrBefore(list, t) {  // index of the last item with s <= t, or -1
    var lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].s <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }
  function same(a, b) { return a && b && a.ex === b.ex && a.side === b.side; }
  function clock(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), m = Math.floor(s / 60);
    return m + ":" + String(s % 60).padStart(2, "0");
  }
  function label(x) { return x.ex + (x.side ? " — " + x.side : ""); }

  // Sets: consecutive works of the same exercise and side form a group ("set n of N").
  var groupSets = [];
  works.forEach(function (w, i) {
    w.group = i > 0 && same(w, works[i - 1]) ? works[i - 1].group : groupSets.length;
    groupSets[w.group] = Math.max(groupSets[w.group] || 0, w.set || 0);
  });
  function workOf(si) {  // a rest belongs to the work that follows it
    var span = spans[si];
    if (span.kind === "work") { return span; }
    var after = spans[si + 1];
    return after && after.kind === "work" && same(after, span) ? after : null;
  }
  // Reps of a work span: the highest rep counted in it.
  works.forEach(function (w) {
    w.reps = 0;
    ev.forEach(function (x) {
      if (x.rep != null && x.s >= w.s && x.s < w.e) { w.reps = Math.max(w.reps, x.rep); }
    });
  });

  // Wait-for-me points: the first countdown number before each work that starts a
  // new exercise or side (or the work's start when there is no countdown).
  var waits = [];
  works.forEach(function (w, i) {
    if (i > 0 && same(w, works[i - 1])) { return; }
    var point = w.s;
    for (var j = 0; j < ev.length; j++) {
      var x = ev[j];
      if (x.key === "countdown" && x.s < w.s && x.s >= w.s - 10000 && x.s < point) { point = x.s; }
    }
    waits.push(point);
  });

  // ---------------------------------------------------------------- state at t
  function stateAt(t) {
    var si = Math.max(0, lastAtOrBefore(spans, t));
    var span = spans[si];
    var ci = lastAtOrBefore(spoken, t);
    var line = ci >= 0 ? spoken[ci] : null;
    var chi = 0;
    for (var c = 0; c < D.chapters.length; c++) { if (D.chapters[c].start_ms <= t) { chi = c; } }
    var next = null;
    for (var k = si + 1; k < spans.length; k++) {
      if (spans[k].kind === "work" && !same(spans[k], span)) { next = spans[k]; break; }
    }
    var rep = null;
    if (span && span.kind === "work" && span.reps) {
      rep = 0;
      ev.forEach(function (x) {
        if (x.rep != null && x.s >= span.s && x.s <= t && x.s < span.e) { rep = x.rep; }
      });
    }
    var checkin = null;
    for (var q = ci; q >= 0 && span && spoken[q].s >= span.s; q--) {
      if (spoken[q].key === "check_in") { checkin = spoken[q]; break; }
    }
    return { t: t, span: span, work: workOf(si), line: line, chapter: chi, next: next, rep: rep,
             checkin: checkin };
  }

  // ---------------------------------------------------------------- rendering
  function prescription(name) {
    var f = D.exercises[name];
    if (!f) { return ""; }
    var what = f.reps ? f.sets + " × " + f.reps + " reps" :
      f.hold_ms ? f.sets + " × " + Math.round(f.hold_ms / 1000) + " s hold" : "";
    if (f.sides === "both") { what += ", each side"; }
    else if (f.sides) { what += ", " + f.sides + " side"; }
    return what;
  }
  function setText(id, text) { var el = $(id); if (el.textContent !== text) { el.textContent = text; } }
  function setBar(id, frac) {
    var pct = Math.round(Math.max(0, Math.min(1, frac)) * 100);
    var el = $(id);
    el.setAttribute("aria-valuenow", String(pct));
    el.firstElementChild.style.width = pct + "%";
  }
  var lastChapter = -1, lastCheckin = null;
  function render(t) {
    var st = stateAt(t);
    var span = st.span;
    setText("caption", st.line ? st.line.text : D.title);
    var name = span && span.ex ? span.ex : (t < (works[0] ? works[0].s : 0) ? D.title : "Well done");
    setText("ex-name", name);
    var side = $("ex-side");
    side.hidden = !(span && span.side);
    setText("ex-side", span && span.side ? span.side : "");
    setText("ex-presc", span && span.ex ? prescription(span.ex) : "");
    var f = span && span.ex ? D.exercises[span.ex] : null;
    setText("ex-setup", f && f.setup ? "Setup: " + f.setup : "");
    var card = $("card");
    var sets = st.work ? groupSets[st.work.group] : 0;
    if (span && span.ex && span.set && sets) {
      setText("ex-set", "Set " + span.set + " of " + sets);
      card.dataset.set = span.set; card.dataset.sets = sets;
    } else {
      setText("ex-set", ""); delete card.dataset.set; delete card.dataset.sets;
    }
    var left = span ? Math.ceil((span.e - t) / 1000) : 0;
    if (span && span.kind === "work" && span.reps) {
      setText("ex-phase", "Rep");
      setText("ex-counter", st.rep + " / " + span.reps);
      card.dataset.rep = st.rep; card.dataset.reps = span.reps;
    } else {
      setText("ex-phase", span && span.kind === "work" ? "Hold" : span && span.ex ? "Rest" : "");
      setText("ex-counter", span && span.ex ? clock(left * 1000) : "");
      delete card.dataset.rep; delete card.dataset.reps;
    }
    setText("next-up", st.next ? label(st.next) : "Finish");
    var ch = D.chapters[st.chapter];
    setBar("ex-progress", (t - ch.start_ms) / Math.max(1, ch.end_ms - ch.start_ms));
    setBar("session-progress", t / Math.max(1, TOTAL));
    setText("clock", clock(t) + " / " + clock(TOTAL));
    var slider = $("timeline");
    slider.setAttribute("aria-valuenow", String(Math.round(100 * t / Math.max(1, TOTAL))));
    slider.setAttribute("aria-valuetext", clock(t) + " of " + clock(TOTAL));
    var head = document.getElementById("vc-playhead");
    if (head) {
      var x = 12 + (1000 - 24) * t / Math.max(1, TOTAL);
      head.setAttribute("x1", x.toFixed(1)); head.setAttribute("x2", x.toFixed(1));
    }
    if (st.chapter !== lastChapter) {
      lastChapter = st.chapter;
      document.body.dataset.chapter = String(st.chapter);
      var items = $("chapters").querySelectorAll("button");
      for (var i = 0; i < items.length; i++) {
        if (i === st.chapter) { items[i].setAttribute("aria-current", "step"); }
        else { items[i].removeAttribute("aria-current"); }
      }
      updateMedia(ch.title);
    }
    showCheckin(st.checkin);
    document.body.dataset.renderedMs = String(t);
  }

  // ---------------------------------------------------------------- chapters & seeking
  function seekMs(ms) {
    ms = Math.max(0, Math.min(TOTAL - 1, ms));
    passed = ms;
    audio.currentTime = ms / 1000;
    render(ms);
  }
  // whole milliseconds: currentTime is a float, and 65.523 s reads back as 65.522999
  function nowMs() { return Math.round(audio.currentTime * 1000); }
  function nextChapter() {
    var st = stateAt(nowMs());
    if (st.chapter + 1 < D.chapters.length) { seekMs(D.chapters[st.chapter + 1].start_ms); }
  }
  function prevChapter() {
    var t = nowMs(), st = stateAt(t);
    var start = D.chapters[st.chapter].start_ms;
    if (t - start > 3000 || st.chapter === 0) { seekMs(start); }
    else { seekMs(D.chapters[st.chapter - 1].start_ms); }
  }
  var list = $("chapters");
  D.chapters.forEach(function (c, i) {
    var li = document.createElement("li");
    var b = document.createElement("button");
    b.type = "button";
    var sw = document.createElement("span");
    sw.className = "swatch";
    var exName = c.title.split(" — ")[0].replace(/ \(round \d+ of \d+\)$/, "");
    sw.style.background = D.colours[exName] || "#64748b";
    var name = document.createElement("span");
    name.textContent = c.title;
    var time = document.createElement("span");
    time.className = "time";
    time.textContent = clock(c.start_ms);
    b.append(sw, name, time);
    b.addEventListener("click", function () { seekMs(c.start_ms); });
    li.appendChild(b);
    list.appendChild(li);
  });
  var picture = $("timeline");
  picture.addEventListener("click", function (e) {
    var svg = picture.querySelector("svg");
    var r = svg.getBoundingClientRect();
    var x = (e.clientX - r.left) / r.width * 1000;
    seekMs((x - 12) / (1000 - 24) * TOTAL);
  });
  picture.addEventListener("keydown", function (e) {
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.preventDefault(); e.stopPropagation();
      seekMs(nowMs() + (e.key === "ArrowRight" ? 10000 : -10000));
    }
  });

  // ---------------------------------------------------------------- play / pause / wait
  var waiting = null, passed = 0, timer = null;
  var waitOn = false;
  try { waitOn = localStorage.getItem("voicecoach.waitForMe") === "1"; } catch (e) { waitOn = false; }
  $("wait-toggle").checked = waitOn;
  $("wait-toggle").addEventListener("change", function () {
    waitOn = this.checked;
    try { localStorage.setItem("voicecoach.waitForMe", waitOn ? "1" : "0"); } catch (e) { /* private mode */ }
    schedule();
  });
  function play() {
    if (waiting !== null) { ready(); return; }
    var p = audio.play();
    if (p && p.catch) {
      p.catch(function (err) { status("Could not start the audio: " + err.message); });
    }
  }
  function togglePlay() { if (audio.paused) { play(); } else { audio.pause(); } }
  function ready() {
    if (waiting === null) { return; }
    passed = waiting;
    audio.currentTime = waiting / 1000;
    waiting = null;
    $("ready-wrap").hidden = true;
    play();
  }
  function nextWait(after) {
    for (var i = 0; i < waits.length; i++) { if (waits[i] > after) { return waits[i]; } }
    return null;
  }
  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (!waitOn || audio.paused) { return; }
    var t = nowMs(), w = nextWait(passed);
    if (w === null) { return; }
    var delay = (w - t) / (audio.playbackRate || 1) - 40;
    timer = setTimeout(function () { if (!maybeWait(nowMs())) { schedule(); } },
      Math.max(0, Math.min(delay, 60000)));
  }
  function maybeWait(t) {  // pause at the next wait point once playback reaches it
    if (!waitOn || audio.paused || waiting !== null) { return false; }
    var w = nextWait(passed);
    if (w === null || t < w - 60) { return false; }
    audio.pause();
    waiting = w;
    audio.currentTime = w / 1000;
    $("ready-wrap").hidden = false;
    status("Waiting for you. Tap \u201cI'm ready\u201d when you are in position.");
    $("ready").focus({ preventScroll: true });
    return true;
  }
  var PLAY_ICON = '<svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" focusable="false"><path d="M7 4v16l13-8z" fill="currentColor"/></svg>';
  var PAUSE_ICON = '<svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" focusable="false"><path d="M6 4h4.5v16H6zM13.5 4H18v16h-4.5z" fill="currentColor"/></svg>';
  $("play").innerHTML = PLAY_ICON;
  audio.addEventListener("play", function () {
    $("play").innerHTML = PAUSE_ICON; $("play").setAttribute("aria-label", "Pause");
    keepAwake(true); mediaState("playing"); schedule(); tick();
  });
  audio.addEventListener("pause", function () {
    $("play").innerHTML = PLAY_ICON; $("play").setAttribute("aria-label", "Play");
    keepAwake(false); mediaState("paused"); clearTimeout(timer);
    render(nowMs());
  });
  audio.addEventListener("seeked", function () {
    if (waiting !== null && Math.abs(nowMs() - waiting) > 50) {
      waiting = null; $("ready-wrap").hidden = true;
    }
    if (waiting === null) { passed = nowMs(); }
    render(nowMs()); schedule();
  });
  audio.addEventListener("timeupdate", function () {
    // while playing, frames render; in a background tab (no frames) this still waits
    if (audio.paused) { render(nowMs()); } else { maybeWait(nowMs()); }
  });
  audio.addEventListener("ended", function () { render(TOTAL); });
  audio.addEventListener("error", function () {
    status("The audio file could not be loaded: keep it next to this page, with its name.");
  });
  function tick() {
    if (audio.paused) { return; }
    var t = nowMs();
    if (maybeWait(t)) { return; }
    if (t > passed) { passed = t; }
    render(t);
    requestAnimationFrame(tick);
  }
  $("play").addEventListener("click", togglePlay);
  $("next").addEventListener("click", nextChapter);
  $("prev").addEventListener("click", prevChapter);
  $("ready").addEventListener("click", ready);
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var tag = e.target && e.target.tagName;
    var native = tag === "BUTTON" || tag === "INPUT" || tag === "A" || tag === "SELECT";
    if (e.key === " " && !native) { e.preventDefault(); togglePlay(); }
    else if (e.key === "ArrowRight" && tag !== "INPUT") { e.preventDefault(); nextChapter(); }
    else if (e.key === "ArrowLeft" && tag !== "INPUT") { e.preventDefault(); prevChapter(); }
  });

  // ---------------------------------------------------------------- phone integration
  function status(text) { $("status").textContent = text; }
  var lock = null, wantLock = false;
  function keepAwake(on) {
    wantLock = on;
    if (!on) {
      if (lock) { lock.release().catch(function () { /* already released */ }); lock = null; }
      return;
    }
    if (!("wakeLock" in navigator)) { return; }
    try {
      navigator.wakeLock.request("screen").then(function (l) { lock = l; },
        function () { status("The screen may turn off: this browser did not allow keeping it on."); });
    } catch (e) { status("The screen may turn off: no wake lock here."); }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && wantLock && !lock) { keepAwake(true); }
  });
  var ART = "data:image/svg+xml," + encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="20" fill="#0b1220"/>' +
    '<circle cx="48" cy="48" r="30" fill="none" stroke="#fbbf24" stroke-width="8"/><path d="M40 34 L64 48 L40 62 Z" fill="#fbbf24"/></svg>');
  function updateMedia(chapterTitle) {
    var ms = navigator.mediaSession;
    if (!ms || typeof MediaMetadata === "undefined") { return; }
    try {
      ms.metadata = new MediaMetadata({ title: chapterTitle, artist: "voicecoach", album: D.title,
        artwork: [{ src: ART, sizes: "96x96", type: "image/svg+xml" }] });
    } catch (e) { /* not supported here */ }
  }
  function mediaState(state) {
    try { if (navigator.mediaSession) { navigator.mediaSession.playbackState = state; } } catch (e) { /* ignore */ }
  }
  var actions = { play: play, pause: function () { audio.pause(); }, previoustrack: prevChapter,
    nexttrack: nextChapter, seekto: function (d) { seekMs(d.seekTime * 1000); } };
  if (navigator.mediaSession) {
    Object.keys(actions).forEach(function (name) {
      try { navigator.mediaSession.setActionHandler(name, actions[name]); } catch (e) { /* unsupported action */ }
    });
  }

  // ---------------------------------------------------------------- theme
  var root = document.documentElement;
  function applyTheme(theme) {
    if (theme) { root.dataset.theme = theme; } else { delete root.dataset.theme; }
    var dark = theme ? theme === "dark" : !(window.matchMedia && matchMedia("(prefers-color-scheme: light)").matches);
    $("theme").textContent = dark ? "Light" : "Dark";
  }
  var savedTheme = null;
  try { savedTheme = localStorage.getItem("voicecoach.theme"); } catch (e) { savedTheme = null; }
  applyTheme(savedTheme);
  $("theme").addEventListener("click", function () {
    var next = $("theme").textContent === "Light" ? "light" : "dark";
    applyTheme(next);
    try { localStorage.setItem("voicecoach.theme", next); } catch (e) { /* private mode */ }
  });

  // ---------------------------------------------------------------- check-ins
  var LOG_KEY = "voicecoach.checkins." + D.title;
  var RUN = new Date().toISOString();
  function readLog() {
    try { var v = JSON.parse(localStorage.getItem(LOG_KEY) || "[]"); return Array.isArray(v) ? v : []; }
    catch (e) { return []; }
  }
  function writeLog(log) {
    try { localStorage.setItem(LOG_KEY, JSON.stringify(log)); return true; }
    catch (e) { status("Could not save the answer: browser storage is not available."); return false; }
  }
  function entryFor(ci) {
    var id = RUN + "@" + ci.s;
    var log = readLog();
    for (var i = 0; i < log.length; i++) { if (log[i].id === id) { return { log: log, entry: log[i] }; } }
    var entry = { id: id, date: new Date().toISOString(), routine: D.title, exercise: ci.ex || "",
      side: ci.side || "", done: false, felt: [], pain: null };
    log.push(entry);
    return { log: log, entry: entry };
  }
  var felt = $("ci-felt"), pain = $("ci-pain");
  FELT.forEach(function (where) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = where; b.dataset.felt = where;
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () {
      answer(function (e) {
        var i = e.felt.indexOf(where);
        if (i >= 0) { e.felt.splice(i, 1); } else { e.felt.push(where); }
      });
    });
    felt.appendChild(b);
  });
  pain.setAttribute("role", "radiogroup");
  pain.setAttribute("aria-label", "Pain from 0 to 10");
  for (var n = 0; n <= 10; n++) {
    (function (value) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = String(value); b.dataset.pain = String(value);
      b.setAttribute("role", "radio"); b.setAttribute("aria-checked", "false");
      b.addEventListener("click", function () { answer(function (e) { e.pain = value; }); });
      pain.appendChild(b);
    })(n);
  }
  $("ci-done").addEventListener("click", function () {
    answer(function (e) { e.done = !e.done; });
  });
  var current = null;
  function answer(change) {
    if (!current) { return; }
    var found = entryFor(current);
    change(found.entry);
    found.entry.done = found.entry.done || found.entry.felt.length > 0 || found.entry.pain !== null;
    if (writeLog(found.log)) { $("ci-saved").textContent = "Saved on this device."; }
    paintCheckin(found.entry);
    paintLog();
  }
  function paintCheckin(entry) {
    $("ci-done").setAttribute("aria-pressed", String(!!(entry && entry.done)));
    felt.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(!!entry && entry.felt.indexOf(b.dataset.felt) >= 0));
    });
    pain.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-checked", String(!!entry && entry.pain === Number(b.dataset.pain)));
    });
  }
  function showCheckin(ci) {
    if (ci === current || (ci && current && ci.s === current.s)) { return; }
    current = ci;
    $("checkin").hidden = !ci;
    if (!ci) { return; }
    $("checkin-about").textContent = "After " + label(ci) + ": " + ci.text;
    $("ci-saved").textContent = "";
    var id = RUN + "@" + ci.s, entry = null;
    readLog().forEach(function (e) { if (e.id === id) { entry = e; } });
    paintCheckin(entry);
  }
  var COLUMNS = ["date", "routine", "exercise", "side", "done", "felt", "pain"];
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : Array.isArray(v) ? v.join("; ") : String(v);
    if (/^[=+\-@\t\r]/.test(s)) { s = "'" + s; }  // no formulas when opened in a spreadsheet
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCsv(log) {
    return [COLUMNS.join(",")].concat(log.map(function (e) {
      return COLUMNS.map(function (c) { return csvCell(e[c]); }).join(",");
    })).join("\r\n") + "\r\n";
  }
  function download(text, type, ext) {
    var slug = D.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "session";
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = slug + "-checkins." + ext;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  $("export-csv").addEventListener("click", function () { download(toCsv(readLog()), "text/csv", "csv"); });
  $("export-json").addEventListener("click", function () {
    download(JSON.stringify(readLog(), null, 2) + "\n", "application/json", "json");
  });
  $("clear-log").addEventListener("click", function () {
    if (window.confirm("Delete every check-in answer of this routine on this device?")) {
      writeLog([]); paintLog(); paintCheckin(null);
    }
  });
  function paintLog() {
    var log = readLog(), ul = $("log-list");
    $("log-count").textContent = log.length ? log.length + " answer" + (log.length > 1 ? "s" : "") + " on this device." : "No answers yet.";
    ul.textContent = "";
    log.slice(-5).forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.date.slice(0, 16).replace("T", " ") + " · " + e.exercise + (e.side ? " (" + e.side + ")" : "") +
        (e.done ? " · done" : "") + (e.felt.length ? " · felt: " + e.felt.join(", ") : "") +
        (e.pain !== null ? " · pain " + e.pain : "");
      ul.appendChild(li);
    });
  }

  paintLog();
  render(0);
})();
