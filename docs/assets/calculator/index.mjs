// The calculator overview page: no worker here, but opening it keeps the whole site,
// the Pyodide runtime and the wheels for offline use.
import { requestOffline } from "./ui.mjs";

requestOffline();
