/* Puente: quick exit, idle lock and the stale-screen warning.
 *
 * The interview writes its settings and words into <div id="puente-session">
 * (ql_baseline.yml, `pre`): the URLs of the exit and lock actions, the idle
 * time, how often to compare the case's version with the server's, and the
 * messages in the user's language. Nothing about the child is read here.
 */
(function () {
  "use strict";
  var timers = { idle: null, warn: null, check: null };
  var lastActivity = Date.now();

  function settings() {
    var el = document.getElementById("puente-session");
    if (!el) return null;
    function msg(name) {
      var m = el.querySelector(".puente-msg-" + name);
      return m ? m.textContent.trim() : "";
    }
    return {
      exit: el.getAttribute("data-exit"),
      lock: el.getAttribute("data-lock"),
      version: el.getAttribute("data-version"),
      idle: parseInt(el.getAttribute("data-idle") || "0", 10),
      warn: parseInt(el.getAttribute("data-warn") || "60", 10),
      check: parseInt(el.getAttribute("data-check") || "0", 10),
      msg: msg
    };
  }

  // ---- quick exit: leave at once, the page blanked first, this page
  // replaced in the history (location.replace), the session signed out by
  // the server before it sends the browser to the neutral page.
  function quickExit(ev) {
    if (ev) { ev.preventDefault(); }
    var s = settings();
    var button = document.getElementById("puente-quick-exit");
    var target = (s && s.exit) || (button && button.getAttribute("href")) || "about:blank";
    document.documentElement.style.visibility = "hidden";
    try { document.title = ""; } catch (e) { /* ignore */ }
    window.location.replace(target);
  }

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("#puente-quick-exit") : null;
    if (a) quickExit(ev);
  }, true);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" || ev.key === "Esc") {
      // Escape first closes what it normally closes (an open dialog or list).
      if (document.querySelector(".modal.show, .popover.show, .combobox-container .dropdown-menu.show")) return;
      quickExit(ev);
    }
  });

  // ---- a notice at the top of the screen (role=alert: read out at once).
  function notice(id, text, buttonText, onClick) {
    var old = document.getElementById(id);
    if (old) return old;
    var box = document.createElement("div");
    box.id = id;
    box.className = "alert alert-warning puente-notice d-flex align-items-center gap-3";
    box.setAttribute("role", "alert");
    var span = document.createElement("span");
    span.textContent = text;
    box.appendChild(span);
    if (buttonText) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-primary btn-sm";
      b.textContent = buttonText;
      b.addEventListener("click", onClick);
      box.appendChild(b);
    }
    var where = document.getElementById("daquestion") || document.querySelector("main, #dabody, body");
    where.insertBefore(box, where.firstChild);
    return box;
  }

  // ---- idle lock: a warning, then the session is signed out.
  function resetIdle() {
    lastActivity = Date.now();
    var s = settings();
    clearTimeout(timers.idle); clearTimeout(timers.warn);
    var w = document.getElementById("puente-idle-warning");
    if (w) w.remove();
    if (!s || !s.idle || !s.lock) return;
    var warnAt = Math.max(s.idle - s.warn, 1);
    timers.warn = setTimeout(function () {
      notice("puente-idle-warning", s.msg("idle"), s.msg("stay"), resetIdle);
    }, warnAt * 1000);
    timers.idle = setTimeout(function () {
      document.documentElement.style.visibility = "hidden";
      window.location.replace(s.lock);
    }, s.idle * 1000);
  }
  var throttle = 0;
  ["keydown", "mousedown", "touchstart", "scroll"].forEach(function (name) {
    document.addEventListener(name, function (ev) {
      if (name === "keydown" && (ev.key === "Escape" || ev.key === "Esc")) return;
      if (Date.now() - throttle > 2000) { throttle = Date.now(); resetIdle(); }
    }, { passive: true, capture: true });
  });

  // ---- stale screen: another person saved this case since this screen
  // was shown. The server says the case's current version (a digest of the
  // record, event puente_case_version); the page knows the one it showed.
  function checkVersion() {
    var s = settings();
    if (!s || !s.version || typeof window.action_call !== "function") return;
    // read-only: asking must not save the session (nor move "last change").
    window.action_call("puente_case_version", {}, function (data) {
      var now = settings();
      if (!now || now.version !== s.version) return;  // the screen changed meanwhile
      if (data && data.version && data.version !== s.version) {
        notice("puente-stale-warning", s.msg("stale"), s.msg("reload"), function () {
          window.location.reload();
        });
      }
    }, false, true);
  }

  // docassemble writes role="group" and role="radiogroup" on the same
  // element; browsers keep the first, where aria-required is not allowed.
  // A group of radio buttons is a radiogroup (which may be required); any
  // other group drops aria-required (each input carries `required`).
  function fixGroupRoles() {
    document.querySelectorAll('[role="group"][aria-required]').forEach(function (el) {
      if (el.querySelector('input[type="radio"]')) el.setAttribute("role", "radiogroup");
      else el.removeAttribute("aria-required");
    });
  }

  function pageLoaded() {
    fixGroupRoles();
    var s = settings();
    var stale = document.getElementById("puente-stale-warning");
    if (stale) stale.remove();
    clearInterval(timers.check);
    if (s && s.check > 0) timers.check = setInterval(checkVersion, s.check * 1000);
    resetIdle();
  }
  if (window.jQuery) {
    window.jQuery(document).on("daPageLoad", pageLoaded);
  }
  document.addEventListener("DOMContentLoaded", pageLoaded);
})();
