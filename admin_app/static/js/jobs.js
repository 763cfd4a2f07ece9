// Background jobs: live progress on the jobs page, and inline progress for a list's own Export button and an
// import's commit button (the server answers with a job when the work is too large to wait for).
(function () {
  "use strict";
  var STATE_URL = "/admin/jobs/state";
  var FINISHED = { done: 1, failed: 1, cancelled: 1 };
  var POLL_MS = 400;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin", body: body,
                        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() } });
  }

  function show(card, s) {
    var bar = card.querySelector(".progress-bar");
    bar.style.width = s.percent + "%";
    bar.setAttribute("aria-valuenow", s.percent);
    bar.textContent = s.percent + "%";
    bar.classList.toggle("bg-danger", s.status === "failed");
    bar.classList.toggle("bg-secondary", s.status === "cancelled");
    bar.classList.toggle("progress-bar-striped", !FINISHED[s.status]);
    bar.classList.toggle("progress-bar-animated", !FINISHED[s.status]);
    card.setAttribute("data-status", s.status);
    var set = function (sel, text) { var el = card.querySelector(sel); if (el) { el.textContent = text || ""; } };
    set(".job-status", s.status_label);
    if (card.classList.contains("job-inline")) { set(".job-title", s.title + " #" + s.id); }
    set(".job-text", s.progress_text);
    set(".job-summary", s.summary);
    var error = card.querySelector(".job-error");
    if (error) { error.classList.toggle("d-none", !s.error); set(".job-error span", s.error); }
    var link = card.querySelector(".job-download");
    if (link && s.download_url) { link.href = s.download_url; link.classList.remove("d-none"); }
    var cancel = card.querySelector(".job-cancel-form, .job-cancel");
    if (cancel && (FINISHED[s.status] || s.cancelling)) { cancel.classList.add("d-none"); }
  }

  function poll(cards) {
    var open = cards.filter(function (c) { return !FINISHED[c.getAttribute("data-status")]; });
    if (!open.length) { return; }
    var ids = open.map(function (c) { return c.getAttribute("data-job-id"); }).join(",");
    fetch(STATE_URL + "?ids=" + ids, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.jobs.forEach(function (s) {
          open.forEach(function (c) { if (c.getAttribute("data-job-id") === String(s.id)) { show(c, s); } });
        });
        window.setTimeout(function () { poll(cards); }, POLL_MS);
      })
      .catch(function () { window.setTimeout(function () { poll(cards); }, POLL_MS * 5); });
  }

  // an inline card under a list's button: bar, counts, cancel and the download link when done
  function inlineCard(anchor, jobId) {
    var texts = document.getElementById("job-texts").dataset;
    var card = document.createElement("div");
    card.className = "job-card job-inline border rounded p-2 my-2";
    card.setAttribute("data-job-id", jobId);
    card.setAttribute("data-status", "queued");
    card.innerHTML = '<div class="d-flex justify-content-between"><strong class="job-title"></strong>' +
      '<span class="badge badge-primary job-status"></span></div>' +
      '<div class="progress my-1"><div class="progress-bar progress-bar-striped progress-bar-animated" ' +
      'role="progressbar" aria-valuemin="0" aria-valuemax="100">0%</div></div>' +
      '<small class="job-text mr-2"></small><small class="job-summary mr-2"></small>' +
      '<a class="btn btn-success btn-sm job-download d-none mr-2" href="#"></a>' +
      '<button type="button" class="btn btn-outline-danger btn-sm job-cancel"></button> ' +
      '<a class="small" href="/admin/jobs/"></a>' +
      '<div class="text-danger small job-error d-none"><span></span></div>';
    card.querySelector(".job-title").textContent = texts.title + " #" + jobId;
    card.querySelector(".job-download").textContent = texts.download;
    card.querySelector(".job-cancel").textContent = texts.cancel;
    card.querySelector("a.small").textContent = texts.jobs;
    card.querySelector(".job-cancel").addEventListener("click", function () {
      post("/admin/jobs/" + jobId + "/cancel").then(function (r) { return r.json(); })
        .then(function (s) { show(card, s); });
    });
    anchor.parentNode.insertBefore(card, anchor.nextSibling);
    poll([card]);
    return card;
  }

  function startFrom(url, body, anchor, fallback) {
    post(url, body).then(function (r) {
      if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("json") < 0) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      if (data.job) { inlineCard(anchor, data.job); } else { fallback(); }
    }).catch(fallback);
  }

  function bindExport() {
    Array.prototype.forEach.call(document.querySelectorAll('a[href*="/export/xlsx/"]'), function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var href = link.getAttribute("href");
        var bar = document.querySelector(".navbar.nav, ul.nav.nav-tabs") || link.closest("ul") || link;
        startFrom(href, null, bar, function () { window.location.href = href; });
      });
      link.setAttribute("data-job-ready", "1");  // a click before this point is a plain download
    });
  }

  function bindImport() {
    var form = document.getElementById("import-commit");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-submitting")) { return; }
      event.preventDefault();
      form.querySelector("button[type=submit]").disabled = true;
      startFrom(form.action, new FormData(form), form, function () {
        form.setAttribute("data-submitting", "1");
        form.submit();
      });
    });
    form.setAttribute("data-job-ready", "1");  // a submit before this point goes to the jobs page instead
  }

  var page = document.querySelector(".job-list");
  if (page) {
    STATE_URL = page.getAttribute("data-state-url") || STATE_URL;
    poll(Array.prototype.slice.call(page.querySelectorAll(".job-card")));
  }
  if (document.getElementById("job-texts")) { bindExport(); bindImport(); }
})();
