// Course file (not fetched): tells RequireJS where the vendored widget manager lives.
// Loaded before require.js, which reads a global `require` object as its configuration.
// Paths are taken from this script's own address, so they are right for pages at any depth,
// and the widget icon fonts resolve to this folder instead of a path beside the page.
(function () {
  var here = document.currentScript && document.currentScript.src;
  if (!here) { return; }
  var folder = here.slice(0, here.lastIndexOf("/"));
  // The bundle names its modules "@jupyter-widgets/base", "…/html-manager/dist/libembed-amd"
  // and so on; webpack takes the icon fonts' address from the module's address.
  window.require = {
    paths: { "@jupyter-widgets": folder, "@jupyter-widgets/html-manager/dist": folder },
  };
})();
