import type { StoryboardFile } from './storyboardFile.js';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * The storyboard page: every step as a figure (image and caption), in order, so it reads without
 * scripts too; player.js turns it into a slide show with play/pause and previous/next.
 */
export function renderStoryboardHtml(story: StoryboardFile, secondsPerFrame: number): string {
  const figures = story.steps
    .map(
      (step) => `    <figure class="step" id="step-${step.number}" data-step="${step.number}">
      <img src="${escapeHtml(step.image)}" alt="Step ${step.number}: ${escapeHtml(step.title)}" width="1440" height="900">
      <figcaption><strong>${step.number}. ${escapeHtml(step.title)}</strong><br>${escapeHtml(step.caption)}</figcaption>
    </figure>`,
    )
    .join('\n');
  const video = story.video
    ? `<p class="video">Video: <a href="${escapeHtml(story.video)}">${escapeHtml(story.video)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(story.title)} - Hyper-V Manager demo</title>
<style>
body{margin:0;font-family:'Segoe UI',Arial,sans-serif;background:#f3f3f3;color:#1b1b1b}
header{padding:12px 24px;background:#1b1f24;color:#fff}
header h1{margin:0 0 4px;font-size:20px}header p{margin:0;color:#cdd}
.controls{display:flex;gap:8px;align-items:center;padding:8px 24px;background:#e4e6ea;position:sticky;top:0}
.controls button{font-size:14px;padding:4px 12px}
.controls output{margin-left:8px;font-variant-numeric:tabular-nums}
main{padding:16px 24px}
figure{margin:0 0 32px}
figure img{max-width:100%;height:auto;border:1px solid #aaa;display:block}
figcaption{max-width:1440px;padding:8px 0;font-size:16px;line-height:1.4}
body.playing-mode figure{display:none}
body.playing-mode figure.current{display:block}
.video{margin:0 0 16px}
</style>
</head>
<body>
<header>
  <h1>${escapeHtml(story.title)}</h1>
  <p>${escapeHtml(story.summary)}</p>
</header>
<div class="controls" role="toolbar" aria-label="Player">
  <button type="button" id="prev" aria-label="Previous step">&#9664; Prev</button>
  <button type="button" id="play" aria-label="Play">&#9654; Play</button>
  <button type="button" id="next" aria-label="Next step">Next &#9654;</button>
  <button type="button" id="all">Show all</button>
  <output id="position" aria-live="polite">${story.steps.length} steps</output>
</div>
<main>
${video}
  <ol class="step-list" hidden>
${story.steps.map((s) => `    <li><a href="#step-${s.number}">${escapeHtml(s.title)}</a></li>`).join('\n')}
  </ol>
${figures}
</main>
<script src="player.js" data-seconds="${secondsPerFrame}"></script>
</body>
</html>
`;
}

/** The player: one step at a time; Play advances every few seconds; arrow keys and space work. */
export const PLAYER_JS = `(function () {
  'use strict';
  var script = document.currentScript;
  var seconds = Number((script && script.getAttribute('data-seconds')) || 4);
  var steps = Array.prototype.slice.call(document.querySelectorAll('figure.step'));
  var position = document.getElementById('position');
  var playButton = document.getElementById('play');
  var index = 0;
  var timer = null;
  if (steps.length === 0) return;
  document.body.classList.add('playing-mode');

  function show(i) {
    index = (i + steps.length) % steps.length;
    steps.forEach(function (s, n) { s.classList.toggle('current', n === index); });
    position.textContent = 'Step ' + (index + 1) + ' of ' + steps.length;
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    playButton.innerHTML = '&#9654; Play';
    playButton.setAttribute('aria-label', 'Play');
  }
  function play() {
    document.body.classList.add('playing-mode');
    if (index === steps.length - 1) show(0);
    timer = setInterval(function () {
      if (index === steps.length - 1) { stop(); return; }
      show(index + 1);
    }, seconds * 1000);
    playButton.innerHTML = '&#10073;&#10073; Pause';
    playButton.setAttribute('aria-label', 'Pause');
  }
  playButton.addEventListener('click', function () { if (timer === null) play(); else stop(); });
  document.getElementById('next').addEventListener('click', function () { stop(); show(index + 1); });
  document.getElementById('prev').addEventListener('click', function () { stop(); show(index - 1); });
  document.getElementById('all').addEventListener('click', function () {
    stop();
    document.body.classList.toggle('playing-mode');
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight') { stop(); show(index + 1); }
    else if (e.key === 'ArrowLeft') { stop(); show(index - 1); }
    else if (e.key === ' ') { e.preventDefault(); if (timer === null) play(); else stop(); }
  });
  var fromHash = /^#step-(\\d+)$/.exec(location.hash);
  show(fromHash ? Number(fromHash[1]) - 1 : 0);
})();
`;
