// The gallery page in a real browser (Debian's chromium, headless, driven by
// playwright-core) against `photosky-handler serve` and the moto emulator,
// at a phone's screen size and from the keyboard: sign in as a user of a
// user pool on the emulator (the one-time password, then a new one),
// upload a test photo, see its thumbnail, open it, delete it, find it
// gone from both buckets (listed through moto's own S3 API, not through
// ours), and sign out; a browser that has not signed in sees no photo.
//
//   node tests/browser/gallery.mjs
//
// Environment: PHOTOSKY_HANDLER_BIN (default handler/target/debug/photosky-handler),
// PHOTOSKY_TEST_PYTHON (default .venv/bin/python), CHROMIUM (default
// /usr/bin/chromium), PHOTOSKY_SCREENSHOTS (a directory: save what the
// browser showed at each step).

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const handler = process.env.PHOTOSKY_HANDLER_BIN || join(root, "handler/target/debug/photosky-handler");
const python = process.env.PHOTOSKY_TEST_PYTHON || join(root, ".venv/bin/python");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = process.env.PHOTOSKY_SCREENSHOTS;
const photo = join(root, "tests/photos/dune-camera-exif.jpg");
// The buckets of the stack the handler's tests stand for: the function
// role in handler/tests/function-role.json, which `serve` runs as, is
// written for them.
const SOURCE = "photosky-tests0-source";
const DEST = "photosky-tests0-thumbnails";
// IAM is enforced (tests/emulator/iam.py): what this script asks of S3
// itself it asks as the account's root, whom the emulator knows by the
// access key `testing` (it checks who signs, not the signature).
const ROOT = {
  authorization: "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0",
  "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
};
const USER = "ana@example.com";
const PASSWORD = "a-long-new-passphrase-9";

const children = [];
const logLines = [];
let passed = 0;

function need(path, what) {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}`);
}

// Start a process and wait for a line matching `pattern` on its stdout.
function start(cmd, args, pattern, what, env) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    children.push(child);
    let log = "";
    child.stderr.on("data", (d) => { log += d; });
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 60 s:\n${log}`)), 60_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      logLines.push(line);
      const m = pattern.exec(line);
      if (m) { clearTimeout(timer); resolveStart(m[1]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}):\n${log}`)); });
  });
}

// The line `serve` logs once its S3 trigger stand-in has dealt with `key`
// (made the thumbnails, found them made or being made, or skipped it).
async function triggerDone(key) {
  const done = (l) => {
    try {
      const j = JSON.parse(l);
      return j.key === key && ["thumbnails", "ignored", "skipped"].includes(j.event);
    } catch { return false; }
  };
  for (let i = 0; i < 300; i++) {
    const line = logLines.find(done);
    if (line) return JSON.parse(line);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the trigger never dealt with ${key}:\n${logLines.join("\n")}`);
}

// How many times the emulator was sent each thumbnail of `id`: [1024, 256].
async function thumbnailWrites(moto, id) {
  const counted = await (await fetch(`${moto}/_photosky/requests`)).json();
  return [1024, 256].map((size) => counted[`PUT /${DEST}/${size}/${id}.jpg`] || 0);
}

async function s3Keys(moto, bucket) {
  const res = await fetch(`${moto}/${bucket}?list-type=2`, { headers: ROOT });
  const xml = await res.text();
  if (!res.ok) throw new Error(`listing ${bucket}: HTTP ${res.status}: ${xml}`);
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]).sort();
}

// Open the first tile and delete it from the viewer (Delete, then Delete
// again to confirm); returns once the page says it is gone.
async function deleteFirstInViewer(page, name) {
  await page.locator("#gallery .tile").first().click();
  await page.locator("#viewer[open]").waitFor();
  await page.locator("#viewer-delete").click();
  await page.locator("#viewer-delete").click();
  await page.locator("#viewer[open]").waitFor({ state: "detached" });
  await page.locator("#status", { hasText: `Deleted ${name}` }).waitFor();
}

function check(condition, what, detail = "") {
  if (!condition) throw new Error(`${what}${detail ? ": " + detail : ""}`);
  passed++;
  console.log(`ok - ${what}`);
}

// The sign-in form, filled and sent; the gallery shows once it is done.
async function signIn(page, password) {
  await page.locator("#sign-in-email").fill(USER);
  await page.locator("#sign-in-password").fill(password);
  await page.locator("#sign-in-submit").click();
}

// A token as the page gets one, for calls made from here (Cognito's own
// API on the emulator).
async function idToken(moto, clientId) {
  const res = await fetch(moto, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1",
    "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth" },
    body: JSON.stringify({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientId,
      AuthParameters: { USERNAME: USER, PASSWORD } }) });
  if (!res.ok) throw new Error(`signing in from the test: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).AuthenticationResult.IdToken;
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function main() {
  need(handler, "photosky-handler (build it: cargo build in handler/)");
  need(python, "the test Python with moto (run ./dev setup)");
  need(chromiumPath, "chromium (apt-get install chromium)");
  need(photo, "the test photo");

  const motoPort = await start(python, [join(root, "tests/emulator/moto_server.py"), "--port", "0", "--enforce-iam"],
    /^listening on (\d+)/, "moto");
  const moto = `http://127.0.0.1:${motoPort}`;
  for (const bucket of [SOURCE, DEST]) {
    const made = await fetch(`${moto}/${bucket}`, { method: "PUT", headers: ROOT });
    if (!made.ok) throw new Error(`making bucket ${bucket}: HTTP ${made.status} ${await made.text()}`);
  }
  // As `up` makes it: a deleted upload is kept as an old version (Undo).
  const versioned = await fetch(`${moto}/${SOURCE}?versioning`, { method: "PUT", headers: ROOT,
    body: '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>' });
  if (!versioned.ok) throw new Error(`versioning ${SOURCE}: HTTP ${versioned.status} ${await versioned.text()}`);
  // The function's execution role, and a session of it for `serve`.
  const roleRes = await fetch(`${moto}/_photosky/iam/role`, { method: "POST", body: JSON.stringify({
    name: "photosky-tests0-function",
    policy: JSON.parse(readFileSync(join(root, "handler/tests/function-role.json"), "utf8")) }) });
  if (!roleRes.ok) throw new Error(`making the function role: HTTP ${roleRes.status}`);
  const role = await roleRes.json();
  // A user pool as `photosky up` makes one, and a user with a one-time password.
  const pool = JSON.parse(await new Promise((resolvePool, reject) => {
    const child = spawn(python, [join(root, "tests/emulator/user_pool.py"), moto, "eu-west-1", USER],
      { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("exit", (code) => (code === 0 ? resolvePool(out) : reject(new Error(`user_pool.py exited ${code}`))));
  }));
  const url = await start(handler, ["serve", "--port", "0", "--endpoint-url", moto,
    "--source-bucket", SOURCE, "--dest-bucket", DEST], /^PhotoSky gallery: (\S+)/, "photosky-handler serve",
    { ...pool.env,
      PHOTOSKY_ENDPOINT_CREDENTIALS: `${role.AccessKeyId} ${role.SecretAccessKey} ${role.SessionToken}` });

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // Chromium logs every non-2xx fetch; the refused text file's 415, the
    // wrong password's 400 and the not-a-photo's 422 are expected.
    page.on("console", (m) => {
      if (m.type() === "error" && !/status of (415|400|422)/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.setDefaultTimeout(30_000);

    // Signed out, the page is a sign-in form and nothing else.
    await page.goto(url);
    await page.locator("#sign-in-email").waitFor({ state: "visible" });
    check(!(await page.locator("#pick").isVisible()) && !(await page.locator("#photos").isVisible()),
      "before signing in the page shows the sign-in form, not the gallery");
    check(await page.evaluate(() => document.activeElement && document.activeElement.id) === "sign-in-email",
      "the sign-in form opens with the e-mail field in focus");
    const ask = await page.locator("#sign-in .hint").textContent();
    check(ask.includes("Ask whoever runs this gallery for an invitation") && !ask.includes("photosky"),
      "the sign-in page tells end users to ask for an invitation, not to run a command", ask);
    await shot(page, "0-sign-in");
    await signIn(page, "not-the-password-1");
    await page.locator("#sign-in-error").filter({ hasText: /./ }).waitFor();
    check(!(await page.locator("#photos").isVisible()), "a wrong password is refused, saying so",
      await page.locator("#sign-in-error").textContent());
    // The first sign-in: the one-time password, then one's own.
    await signIn(page, pool.password);
    await page.locator("#new-password").waitFor({ state: "visible" });
    await shot(page, "0-new-password");
    await page.locator("#new-password").fill(PASSWORD);
    await page.locator("#new-password-submit").click();
    await page.locator("#drop-hint, #sign-in-error:not(:empty)").first().waitFor({ state: "visible" });
    if (!(await page.locator("#drop-hint").isVisible())) {
      throw new Error(`setting the new password failed: ${await page.locator("#sign-in-error").textContent()}`);
    }
    check((await page.locator("#who").textContent()).includes(USER), "signed in, the page says as whom");
    // Signing in lasts: a second tab, and the browser restarted with what
    // it stored, are signed in without asking again.
    for (const [label, ctx] of [
      ["a second tab", null],
      ["the browser restarted", await browser.newContext({ storageState: await context.storageState() })],
    ]) {
      const other = await (ctx || context).newPage();
      await other.goto(url);
      await other.waitForFunction(() => !$("photos").hidden || !$("sign-in").hidden);
      check(await other.locator("#sign-in").isHidden() && (await other.locator("#who").textContent()).includes(USER),
        `${label} is signed in too`);
      await other.close();
      if (ctx) await ctx.close();
    }
    check(await page.locator("#gallery .tile").count() === 0, "an empty gallery says how to start");
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 390, "the page fits a 390 px wide phone screen", `${wide} px wide`);
    await shot(page, "1-empty");

    // A file that is not a photo is refused with a reason, and nothing is stored.
    await page.setInputFiles("#files", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    const failed = page.locator("#uploads li.failed .state");
    await failed.waitFor();
    check((await failed.textContent()).includes("image/jpeg"), "a text file is refused, saying what is taken",
      await failed.textContent());
    await page.getByRole("button", { name: "Dismiss the failed upload of notes.txt" }).click();
    check(await page.locator("#uploads li").count() === 0, "a failed upload can be dismissed");
    // Text named .jpg gets past the type check, but is not kept as a photo:
    // the row says so in words, and no tile appears for anyone.
    await page.setInputFiles("#files", { name: "fake.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not a photo") });
    await failed.waitFor();
    const why = await failed.textContent();
    check(why.startsWith("fake.jpg is not a photo the gallery can show") && why.endsWith("so it was not kept"),
      "an upload that is not a photo says so in words, naming the file", why);
    const row = await page.locator("#uploads li.failed span").first().evaluate((n) => [n.textContent, n.scrollWidth <= n.clientWidth]);
    check(row[0] === "fake.jpg" && row[1], "the failed row shows the file's whole name", row.join(" "));
    await page.locator("#status", { hasText: "1 could not be added (listed below)" }).waitFor();
    await page.getByRole("button", { name: "Dismiss the failed upload of fake.jpg" }).click();
    await page.reload();
    await page.locator("#drop-hint").waitFor({ state: "visible" });
    check(await page.locator("#gallery .tile").count() === 0 && (await s3Keys(moto, SOURCE)).length === 0,
      "a file that is not a photo leaves no tile and nothing listed in the upload bucket");

    // Upload the photo; its thumbnail appears.
    await page.setInputFiles("#files", photo);
    const thumb = page.locator("#gallery .tile img");
    await page.waitForFunction(() => {
      const img = document.querySelector("#gallery .tile img");
      return img && img.complete && img.naturalWidth > 0;
    });
    const size = await thumb.evaluate((img) => [img.naturalWidth, img.naturalHeight]);
    check(Math.max(...size) === 256, "the thumbnail appears in the gallery (256 px long side)", size.join("x"));
    check(await page.locator("#uploads li").count() === 0, "the upload's progress row is gone when done");
    check(!(await page.locator("#more").isVisible()), "no \"Load more\" when there is no next page");
    const source = await s3Keys(moto, SOURCE);
    check(source.length === 1 && /^uploads\/[0-9a-f]{18}-dune-camera-exif\.jpg$/.test(source[0]),
      "the photo is in the source bucket under a fresh id", source.join(", "));
    const id = source[0].slice("uploads/".length);
    // The thumbnails, and nothing else once the work is done: the claim
    // (making/<id>/<etag>) goes a moment after the last thumbnail lands.
    // (fake.jpg's failed/ record stays: it is why that upload was refused.)
    const want = [`1024/${id}.jpg`, `256/${id}.jpg`].join();
    const thumbnails = async () => (await s3Keys(moto, DEST)).filter((k) => /^\d+\//.test(k));
    // Its place on the timeline (timeline/<date>/<id>).
    const placed = async () => (await s3Keys(moto, DEST)).filter((k) => k.startsWith("timeline/"));
    let dest = [];
    for (let i = 0; i < 50 && dest.join() !== want; i++) {
      dest = await thumbnails();
      if (dest.join() !== want) await new Promise((r) => setTimeout(r, 200));
    }
    check(dest.join() === want, "both thumbnails are in the thumbnail bucket",
      dest.join(", "));
    // The page's preview and the trigger both asked; one made them.
    const trigger = await triggerDone(`uploads/${id}`);
    const writes = await thumbnailWrites(moto, id);
    check(writes.join() === "1,1", "one upload writes each thumbnail once, though the page and the trigger both ask",
      `writes ${writes.join(", ")}; the trigger: ${trigger.why || "made them"}`);
    await shot(page, "2-uploaded");

    // Another browser, not signed in: the sign-in form, no photo, and the
    // API refuses it.
    const stranger = await browser.newContext();
    const sp = await stranger.newPage();
    await sp.goto(url);
    await sp.locator("#sign-in-email").waitFor({ state: "visible" });
    const strangerSees = await sp.locator("#gallery .tile").count();
    const strangerApi = await sp.evaluate(async () => (await fetch("list-images")).status);
    check(strangerSees === 0 && strangerApi === 401,
      "a browser that has not signed in sees the sign-in form and no photo; the API answers it 401",
      `${strangerSees} photos, HTTP ${strangerApi}`);
    await stranger.close();

    // Requests for originals (the upload bucket's objects), from here on.
    const originals = [];
    page.on("request", (r) => { if (r.url().includes(`/${SOURCE}/uploads/`) && r.method() === "GET") originals.push(r.url()); });
    // Open it from the keyboard: Tab to the tile, Enter.
    let focused = "";
    for (let i = 0; i < 10 && focused !== "tile"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.className || "");
    }
    check(focused === "tile", "the photo can be reached with Tab");
    await page.keyboard.press("Enter");
    await page.locator("#viewer[open]").waitFor();
    check(await page.evaluate(() => document.activeElement?.id) === "viewer-close",
      "the viewer opens with focus on Close, not Delete");
    await page.waitForFunction(() => {
      const img = document.getElementById("viewer-img");
      return img.complete && img.naturalWidth > 256;
    });
    const shown = await page.locator("#viewer-img").evaluate((img) => [img.naturalWidth, img.naturalHeight]);
    check(shown[0] === 1024 && originals.length === 0,
      "Enter opens the viewer on the 1024 px thumbnail; the original is not fetched", `${shown.join("x")}; ${originals.join(", ")}`);
    await page.locator("#viewer-full").click();
    await page.waitForFunction(() => document.getElementById("viewer-img").naturalWidth > 1024);
    check(originals.length === 1, "Full size loads the original, once asked", originals.join(", "));
    await page.locator("#viewer-close").focus();
    check((await page.locator("#viewer-title").textContent()) === "dune-camera-exif.jpg", "the viewer names the photo");
    const details = [await page.locator("#viewer-taken").textContent(), await page.locator("#viewer-camera").textContent()];
    check(details[0].startsWith("Taken ") && details[0].includes("2007") && details[1] === "Canon EOS DIGITAL REBEL",
      "the viewer says when and with what camera the photo was taken (its EXIF)", details.join(" | "));
    await shot(page, "3-open");

    // Escape closes it and gives focus back to the photo.
    await page.keyboard.press("Escape");
    await page.locator("#viewer[open]").waitFor({ state: "detached" });
    check(await page.evaluate(() => document.activeElement?.className) === "tile", "Escape closes the viewer, focus returns");

    // Delete: open again, press Delete twice (the second press confirms).
    await page.keyboard.press("Enter");
    await page.locator("#viewer[open]").waitFor();
    await page.locator("#viewer-delete").focus();
    await page.keyboard.press("Enter");
    const asked = await page.locator("#viewer-delete").innerText();
    check(asked.includes("again"), "the first Delete asks to confirm", `${asked}; focus on ${await page.evaluate(() => document.activeElement?.id)}`);
    await page.keyboard.press("Enter");
    await page.locator("#viewer[open]").waitFor({ state: "detached" });
    await page.locator("#status", { hasText: "Deleted dune-camera-exif.jpg" }).waitFor();
    check(await page.locator("#gallery .tile").count() === 0, "the photo leaves the gallery");
    check((await s3Keys(moto, SOURCE)).length === 0, "the original is gone from the source bucket");
    check((await thumbnails()).length === 0, "the thumbnails are gone from the thumbnail bucket");
    check((await placed()).length === 0, "its place on the timeline is gone");

    // Undo brings it back: the photo, and its thumbnails.
    await page.getByRole("button", { name: "Undo deleting dune-camera-exif.jpg" }).click();
    await page.locator("#status", { hasText: "Restored dune-camera-exif.jpg" }).waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector("#gallery .tile img");
      return img && img.complete && img.naturalWidth > 0;
    });
    const back = [(await s3Keys(moto, SOURCE)).length, (await thumbnails()).length, (await placed()).length];
    check(back.join() === "1,2,1", "Undo after Delete restores the photo, its thumbnails and its place on the timeline",
      `${back[0]} original, ${back[1]} thumbnails, ${back[2]} timeline entries`);
    await shot(page, "3-undone");
    // Deleted again, for good this time.
    await deleteFirstInViewer(page, "dune-camera-exif.jpg");
    check((await s3Keys(moto, SOURCE)).length === 0 && (await thumbnails()).length === 0,
      "deleted again, the photo and its thumbnails are gone");

    // After a reload the server agrees.
    await page.reload();
    await page.locator("#drop-hint").waitFor({ state: "visible" });
    check(await page.locator("#gallery .tile").count() === 0, "a reload shows the empty gallery");
    await shot(page, "4-deleted");

    // An iPhone photo: HEIC, to which Chrome gives no type (the page goes by
    // its name). Its thumbnail is upright, as the phone showed it: the file
    // stores it landscape and says to turn it (tests/photos/make_heic.py).
    await page.setInputFiles("#files", { name: "IMG_0001.HEIC", mimeType: "",
      buffer: readFileSync(join(root, "tests/photos/seeding-orientation6.heic")) });
    await page.waitForFunction(() => {
      const img = document.querySelector("#gallery .tile img");
      return img && img.complete && img.naturalWidth > 0;
    });
    const heic = await page.locator("#gallery .tile img").evaluate((img) => [img.naturalWidth, img.naturalHeight]);
    check(heic.join("x") === "192x256", "an iPhone's HEIC photo is taken and shown upright", heic.join("x"));
    const heicKeys = await s3Keys(moto, SOURCE);
    check(heicKeys.length === 1 && /\.heic$/i.test(heicKeys[0]) && (await thumbnails()).length === 2,
      "the HEIC original is kept as it came, beside its two JPEG thumbnails", heicKeys.join(", "));
    await deleteFirstInViewer(page, "IMG_0001.HEIC");
    check((await s3Keys(moto, SOURCE)).length === 0 && (await thumbnails()).length === 0,
      "deleted, the HEIC photo and its thumbnails are gone");

    // Several at once: each gets its own progress row, and every thumbnail
    // appears. Three have no date of their own (placed when uploaded: today),
    // one has its camera's (6 August 2007).
    const many = ["flower-small.jpg", "seeding-progressive.jpg", "goldfish-rgba.png", "dune-camera-exif.jpg"]
      .map((name) => join(root, "tests/photos", name));
    await page.setInputFiles("#files", many);
    const rows = await page.locator("#uploads li").count();
    await page.waitForFunction((n) => {
      const imgs = [...document.querySelectorAll("#gallery .tile img")];
      return imgs.length === n && imgs.every((img) => img.complete && img.naturalWidth > 0);
    }, many.length);
    check(rows === many.length, "a multi-file upload shows one progress row per file", `${rows} rows`);
    const three = await s3Keys(moto, SOURCE);
    check(three.length === many.length, "photos chosen at once are all uploaded");
    const threeWrites = [];
    for (const key of three) {
      await triggerDone(key);
      threeWrites.push((await thumbnailWrites(moto, key.slice("uploads/".length))).join("+"));
    }
    check(threeWrites.every((w) => w === "1+1"), "each of them is thumbnailed once", threeWrites.join(", "));
    await page.locator("#status", { hasText: `Uploaded ${many.length} photos.` }).waitFor();
    check(await page.locator("#uploads li").count() === 0, "every thumbnail appears and the progress rows clear");
    await shot(page, "5-uploaded-several");

    // The timeline: a heading per day, newest first; the same after a
    // reload, and when it comes a page of two at a time as one scrolls.
    const timeline = (p) => p.evaluate(() => [...document.querySelectorAll("#gallery .day")].map((d) =>
      [d.dataset.day, d.querySelector("h2").textContent,
       ...[...d.querySelectorAll(".tile")].map((t) => t.getAttribute("aria-label").slice(5))].join(" ")));
    const uploaded = await timeline(page);
    const today = new Date().toISOString().slice(0, 10);
    check(uploaded.length === 2 && uploaded[0].startsWith(`${today} Today `) &&
      uploaded[1].startsWith("2007-08-06 ") && uploaded[1].includes("2007") && uploaded[1].endsWith(" dune-camera-exif.jpg"),
      "the timeline groups photos by the day taken, newest first, under a heading each", uploaded.join(" | "));
    await page.reload();
    await page.locator("#gallery .tile").nth(many.length - 1).waitFor();
    const reloaded = await timeline(page);
    check(reloaded.join() === uploaded.join(), "the timeline's order and headings survive a reload", reloaded.join(" | "));
    await shot(page, "6-timeline");
    const pager = await context.newPage();
    const pages = [];
    pager.on("request", (r) => { if (r.url().includes("/timeline?")) pages.push(r.url()); });
    await pager.goto(url + "?per-page=2");
    await pager.locator("#gallery .tile").nth(many.length - 1).waitFor();
    await pager.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await pager.waitForLoadState("networkidle");
    const paged = await timeline(pager);
    check(paged.join() === uploaded.join() && pages.length === 2 && pages[1].includes("continuationToken="),
      "paged two at a time as the page scrolls, the timeline is the same", `${pages.length} pages: ${paged.join(" | ")}`);
    await pager.close();

    // Share links: choose two photos, get a link; a browser that has never
    // signed in opens it and sees exactly those two, read-only; every other
    // token opens nothing, alike; revoked, or expired, the link opens
    // nothing either.
    const labels = (p) => p.locator("#gallery .tile").evaluateAll((ts) => ts.map((t) => t.getAttribute("aria-label").slice(5)));
    const order = await labels(page);
    await page.locator("#select").click();
    await page.locator("#gallery .tile").nth(0).click();
    await page.locator("#gallery .tile").nth(many.length - 1).click();
    const chosen = [order[0], order[many.length - 1]].sort();
    check(await page.locator("#selected-count").innerText() === "2 photos chosen", "Select, then a tap on each, chooses photos");
    await page.locator("#share-selected").click();
    await page.locator("#share-dialog[open]").waitFor();
    await page.locator("#share-create").click();
    await page.locator("#share-result").waitFor({ state: "visible" });
    const link = await page.locator("#share-link").inputValue();
    const says = await page.locator("#share-says").innerText();
    check(link.startsWith(url) && /#shared=[A-Za-z0-9_-]{43}$/.test(link) && says.includes("without signing in"),
      "Share makes a link with a random 256-bit token, kept in the fragment, and says what it does", `${link}: ${says}`);
    await shot(page, "7-share-link");
    await page.locator("#share-close").click();
    const outsider = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
      isMobile: true, hasTouch: true });
    const op = await outsider.newPage();
    op.setDefaultTimeout(30_000);
    await op.goto(link);
    await op.locator("#gallery .tile").nth(1).waitFor();
    const seen = (await labels(op)).sort();
    const hidden = await op.evaluate(() => ["sign-in", "pick", "select", "account", "refresh"]
      .filter((id) => !document.getElementById(id).hidden));
    check(seen.join() === chosen.join() && hidden.length === 0,
      "the link opens in a fresh browser, without signing in, exactly the shared photos and nothing to change them",
      `${seen.join(", ")}; shown: ${hidden.join(", ")}`);
    await op.locator("#gallery .tile").first().tap();
    await op.locator("#viewer[open]").waitFor();
    await op.waitForFunction(() => { const img = document.getElementById("viewer-img"); return img.complete && img.naturalWidth > 0; });
    check(await op.locator("#viewer-delete").isHidden() && await op.locator("#viewer-share").isHidden(),
      "a shared photo opens in the viewer, with no Delete or Share");
    await shot(op, "8-shared-phone");
    await op.locator("#viewer-close").tap();
    const token = link.split("#shared=")[1];
    const flipped = (token[5] === "A" ? "B" : "A");
    const tries = ["", "x", token.slice(0, 5) + flipped + token.slice(6), token + "A", "A".repeat(43), "../" + token.slice(3)];
    const answers = await op.evaluate(async (tries) => Promise.all(tries.map(async (t) => {
      const r = await fetch(base + "shared", { headers: { "x-photosky-share": t } });
      return `${r.status} ${await r.text()}`;
    })), tries);
    check(answers.every((a) => a === answers[0]) && answers[0].startsWith("404 "),
      "every token that opens nothing gets the same 404", answers.join(" | "));
    // Revoked from the gallery's "Shared links".
    await page.locator("#shared-links").click();
    await page.locator("#links-dialog[open]").waitFor();
    const revoke = page.getByRole("button", { name: `Revoke the link to ${chosen.join(", ")}` }).or(
      page.getByRole("button", { name: `Revoke the link to ${[...chosen].reverse().join(", ")}` }));
    await revoke.click();
    await page.locator("#status", { hasText: "The link is revoked" }).waitFor();
    await page.locator("#links-close").click();
    await op.reload();
    await op.locator("#shared-note", { hasText: "not shared" }).waitFor();
    check(await op.locator("#gallery .tile").count() === 0, "a revoked link opens nothing");
    await shot(op, "9-shared-revoked");
    // One photo, from the viewer's Share; then expired (its record's end
    // put in the past, as time would).
    await page.locator("#gallery .tile").first().click();
    await page.locator("#viewer[open]").waitFor();
    await page.locator("#viewer-share").click();
    await page.locator("#share-dialog[open]").waitFor();
    await page.locator("#share-create").click();
    await page.locator("#share-result").waitFor({ state: "visible" });
    const one = await page.locator("#share-link").inputValue();
    await page.locator("#share-close").click();
    await page.locator("#viewer-close").click();
    await op.goto("about:blank");
    await op.goto(one);
    await op.locator("#gallery .tile").first().waitFor();
    check(await op.locator("#gallery .tile").count() === 1, "the viewer's Share shares that one photo");
    const records = (await s3Keys(moto, DEST)).filter((k) => k.startsWith("shares/"));
    check(records.length === 1, "a revoked share's record is gone; the live one is kept", records.join(", "));
    const record = await (await fetch(`${moto}/${DEST}/${records[0]}`, { headers: ROOT })).json();
    record.expires = record.created - 1;
    const put = await fetch(`${moto}/${DEST}/${records[0]}`, { method: "PUT", body: JSON.stringify(record), headers: ROOT });
    if (!put.ok) throw new Error(`expiring a share: HTTP ${put.status}`);
    await op.reload();
    await op.locator("#shared-note", { hasText: "not shared" }).waitFor();
    check(await op.locator("#gallery .tile").count() === 0, "an expired link opens nothing");
    await outsider.close();

    // The viewer moves between photos: arrow keys, the buttons, a swipe;
    // Escape goes back to the tile of the photo last shown.
    const names = await page.locator("#gallery .tile").evaluateAll((ts) => ts.map((t) => t.getAttribute("aria-label").slice(5)));
    await page.locator("#gallery .tile").first().click();
    await page.locator("#viewer[open]").waitFor();
    const title = () => page.locator("#viewer-title").textContent();
    await page.keyboard.press("ArrowRight");
    const second = await title();
    await page.keyboard.press("ArrowLeft");
    const backToFirst = await title();
    await page.locator("#viewer-next").click();
    await page.locator("#viewer-next").click();
    const third = await title();
    check(second === names[1] && backToFirst === names[0] && third === names[2],
      "arrow keys and the ‹ › buttons move between photos in gallery order", [second, backToFirst, third].join(" | "));
    const box = await page.locator("#viewer-img").boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, y, { steps: 5 });
    await page.mouse.up();
    check(await title() === names[1], "a swipe to the right goes back a photo", await title());
    await page.keyboard.press("Escape");
    await page.locator("#viewer[open]").waitFor({ state: "detached" });
    // The dialog's "close" event, which gives focus back, comes a moment
    // after it closed.
    const returned = await page.waitForFunction((label) => document.activeElement?.getAttribute("aria-label") === label,
      "Open " + names[1], { timeout: 5000 }).then(() => true, () => false);
    check(returned, "Escape returns to the tile of the photo last shown",
      await page.evaluate(() => document.activeElement?.getAttribute("aria-label") || document.activeElement?.tagName));

    check(problems.length === 0, "no script errors or blocked resources in the page", problems.join("; "));

    // A file that is not a photo put straight into the bucket (as any
    // client may): the trigger finds it cannot be shown and does not keep
    // it; it never joins the timeline, so no view ever shows a tile of it.
    const notes = await fetch(`${moto}/${SOURCE}/uploads/0000000000000000ff-notes.jpg`,
      { method: "PUT", body: "not a photo", headers: ROOT });
    if (!notes.ok) throw new Error(`putting a text file: HTTP ${notes.status}`);
    const notesDone = await triggerDone("uploads/0000000000000000ff-notes.jpg");
    await page.reload();
    await page.locator("#gallery .tile").first().waitFor();
    await page.waitForLoadState("networkidle");
    const notesTile = page.getByRole("button", { name: "Open notes.jpg" });
    check(notesDone.event === "skipped" && await notesTile.count() === 0 &&
      !(await s3Keys(moto, SOURCE)).some((k) => k.endsWith("notes.jpg")),
      "a file put in the bucket that is not a photo is not kept, and no tile of it is shown",
      notesDone.reason || notesDone.why || notesDone.event);

    // The token is renewed from the refresh token: when it is about to
    // expire, and when the API refuses it (then the call is made again).
    const renewals = [];
    page.on("request", (r) => {
      if ((r.postData() || "").includes("REFRESH_TOKEN_AUTH")) renewals.push(r.url());
    });
    await page.evaluate(() => { tokens.expires = Date.now() + 1000; });
    await page.locator("#refresh").click();
    await page.waitForFunction(() => tokens.expires > Date.now() + 50 * 60_000);
    await page.evaluate(() => { tokens.id = "not-a-token"; });
    await page.locator("#refresh").click();
    await page.waitForFunction(() => tokens.id !== "not-a-token");
    await page.locator("#gallery .tile").first().waitFor();
    check(renewals.length === 2 && await page.locator("#sign-in").isHidden(),
      "a token near its expiry, or refused, is renewed and the call goes through", `${renewals.length} renewals`);

    // Sign out: the photos go from the page (and from another tab's), and
    // a reload stays signed out.
    const tab = await context.newPage();
    await tab.goto(url);
    await tab.locator("#gallery .tile").first().waitFor();
    await page.locator("#sign-out").click();
    await tab.locator("#sign-in-email").waitFor({ state: "visible" });
    check(await tab.locator("#gallery .tile").count() === 0, "signing out in one tab signs out the others");
    await tab.close();
    await page.locator("#sign-in-email").waitFor({ state: "visible" });
    check(await page.locator("#gallery .tile").count() === 0 && !(await page.locator("#photos").isVisible()),
      "signing out takes the photos off the page");
    await page.reload();
    await page.locator("#sign-in-email").waitFor({ state: "visible" });
    check(!(await page.locator("#photos").isVisible()), "after signing out a reload asks to sign in again");
    await context.close();

    // On phones (touch, 360 and 390 px wide): the header on one line, no
    // "drop" for a finger, no gap over the grid, and Delete tapped twice
    // on the same spot deletes: it never becomes "Open original".
    for (const [width, height] of [[360, 740], [390, 844]]) {
      const phone = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 2,
        isMobile: true, hasTouch: true });
      const p = await phone.newPage();
      p.setDefaultTimeout(30_000);
      await p.goto(url);
      await signIn(p, PASSWORD);
      await p.locator("#gallery .tile").first().waitFor();
      const boxes = await p.evaluate(() => [...document.querySelectorAll("header > h1, header > button")]
        .map((e) => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.right]; }));
      const oneLine = boxes.every(([top]) => Math.abs(top - boxes[1][0]) < 12) &&
        boxes.every(([, , right]) => right <= width);
      const label = await p.locator("#pick").evaluate((e) => e.getBoundingClientRect().height);
      check(oneLine && label < 50, `the header fits on one line at ${width} px`, JSON.stringify(boxes));
      const gap = await p.evaluate(() => document.querySelector("#gallery").getBoundingClientRect().top -
        document.querySelector("header").getBoundingClientRect().bottom);
      check(gap < 24, `no empty gap above the grid at ${width} px`, `${gap} px`);
      await shot(p, `phone-${width}-gallery`);
      const count = await p.locator("#gallery .tile").count();
      await p.locator("#gallery .tile").first().tap();
      await p.locator("#viewer[open]").waitFor();
      // Loaded, or failed to (an image with no src yet is also "complete").
      await p.waitForFunction(() => {
        const img = document.getElementById("viewer-img");
        return img.getAttribute("src") && img.complete;
      });
      await shot(p, `phone-${width}-viewer`);
      const before = await p.locator("#viewer-delete").boundingBox();
      const closeBox = await p.locator("#viewer-close").boundingBox();
      check(before.y + before.height < height / 4 && closeBox.y > height / 2,
        `Delete is at the top, away from the thumb, and Close at the bottom at ${width} px`,
        `Delete ${JSON.stringify(before)}, Close ${JSON.stringify(closeBox)}`);
      const x = before.x + before.width / 2, y = before.y + before.height / 2;
      let opened = 0;
      phone.on("page", () => { opened++; });
      await p.touchscreen.tap(x, y);
      const armed = await p.locator("#viewer-delete").innerText();
      const after = await p.locator("#viewer-delete").boundingBox();
      check(armed.includes("again") && JSON.stringify(before) === JSON.stringify(after),
        `asking to confirm moves nothing at ${width} px`, `${armed}: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      await shot(p, `phone-${width}-confirm`);
      await p.touchscreen.tap(x, y);
      await p.locator("#viewer[open]").waitFor({ state: "detached" }).catch(async (e) => {
        throw new Error(`the second tap did not delete at ${width} px (button: ${await p.locator("#viewer-delete").innerText()}; ` +
          `status: ${await p.locator("#status").innerText()}): ${e.message}`);
      });
      await p.waitForFunction((n) => document.querySelectorAll("#gallery .tile").length === n - 1, count);
      check(opened === 0, `a second tap on the same spot deletes and opens nothing at ${width} px`, `${opened} tab(s)`);
      await phone.close();
    }
    // What is left: the empty state, in phone words.
    const last = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const lp = await last.newPage();
    await lp.goto(url);
    await signIn(lp, PASSWORD);
    await lp.locator("#gallery .tile").first().waitFor();
    const api = url.endsWith("/") ? url : url + "/";
    const authorization = await idToken(moto, pool.env.USER_POOL_CLIENT_ID);
    const listed = await (await fetch(api + "list-images", { headers: { authorization } })).json();
    for (const image of listed.images) {
      const r = await fetch(api + "delete-image/" + encodeURIComponent(image.id),
        { method: "DELETE", headers: { authorization } });
      if (!r.ok) throw new Error(`deleting ${image.id}: HTTP ${r.status}`);
    }
    await lp.reload();
    await lp.locator("#drop-hint").waitFor({ state: "visible" });
    const hint = await lp.locator("#drop-hint").innerText();
    check(!hint.includes("drop"), "the empty state does not tell a finger to drop files", hint);
    await last.close();
  } finally {
    await browser.close();
  }
}

try {
  await main();
  console.log(`${passed} passed, 0 failed`);
} catch (e) {
  console.log(`not ok - ${e.message}`);
  console.log(`${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  for (const c of children) c.kill();
}
