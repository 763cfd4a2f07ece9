// Open again the step dialog the server sent back with errors, so the user corrects it where it was.
(function () {
  if (!window.jQuery) { return; }
  jQuery(function ($) {
    $('.wf-dialog[data-open]').modal('show');
  });
})();
