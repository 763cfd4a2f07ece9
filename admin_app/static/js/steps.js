// Open again the step dialog the server sent back with errors, so the user corrects it where it was.
(function () {
  if (!window.jQuery) { return; }
  jQuery(function ($) {
    // No fade: the dialog was already open before the reload, and Bootstrap ignores a close
    // clicked while the opening transition still runs.
    $('.wf-dialog[data-open]').removeClass('fade').modal('show');
  });
})();
