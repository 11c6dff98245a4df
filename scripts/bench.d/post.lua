-- One POST, repeated: path, body and headers come from the environment so the same script
-- drives the baseline, `strongroom serve` and moto. The bearer token stays in the environment
-- of this process only; it is never written to a file or printed.
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH")
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
local optional = {
  Authorization = "BENCH_AUTHORIZATION",
  ["Bluemix-Instance"] = "BENCH_INSTANCE",
  ["X-Amz-Target"] = "BENCH_AMZ_TARGET",
}
for header, variable in pairs(optional) do
  local value = os.getenv(variable)
  if value and value ~= "" then wrk.headers[header] = value end
end
