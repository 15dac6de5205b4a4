#!/usr/bin/Rscript
# Reference diagnostics for tests/mcmc/test_diagnostics.cpp, computed by R's posterior package.
# usage (from the repository root): Rscript tests/reference/mcmc_posterior_reference.R
# Writes mcmc_posterior_draws.csv (columns CASE_cK = chain K of case CASE, 4 chains x 301
# iterations: odd length exercises the dropped middle draw of split chains) and
# mcmc_posterior_reference.json (rhat, ess_bulk, ess_tail, ess_mean, mcse_mean, q5, q50, q95,
# and mcse_sd, mad, ess_q50, mcse_q5, mcse_q50, mcse_q95).
suppressMessages(library(posterior))
set.seed(20261125)
n <- 301; chains <- 4
ar1 <- function(phi, offset = 0) { x <- numeric(n); x[1] <- rnorm(1); for (i in 2:n) x[i] <- phi * x[i - 1] + rnorm(1); x + offset }
cases <- list(
  iid = sapply(1:chains, function(k) rnorm(n)),
  ar1 = sapply(1:chains, function(k) ar1(0.9)),
  antithetic = sapply(1:chains, function(k) ar1(-0.6)),
  shifted = sapply(1:chains, function(k) ar1(0.5, offset = if (k == 1) 1.5 else 0)),
  heavy = sapply(1:chains, function(k) rt(n, df = 2) * 3 + 10),
  ties = sapply(1:chains, function(k) rpois(n, 2)))
out <- do.call(cbind, lapply(names(cases), function(nm) { m <- cases[[nm]]; colnames(m) <- paste0(nm, "_c", 1:chains); m }))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
write.csv(format(as.data.frame(out), digits = 17), file.path(here, "mcmc_posterior_draws.csv"), row.names = FALSE, quote = FALSE)
vals <- lapply(cases, function(m) list(rhat = rhat(m), ess_bulk = ess_bulk(m), ess_tail = ess_tail(m),
  ess_mean = ess_mean(m), mcse_mean = mcse_mean(m), q5 = unname(quantile(m, 0.05)), q50 = unname(quantile(m, 0.5)), q95 = unname(quantile(m, 0.95)),
  mcse_sd = mcse_sd(m), mad = mad(m), ess_q50 = unname(ess_quantile(m, 0.5)),
  mcse_q5 = unname(mcse_quantile(m, 0.05)), mcse_q50 = unname(mcse_quantile(m, 0.5)), mcse_q95 = unname(mcse_quantile(m, 0.95))))
writeLines(jsonlite::toJSON(list(generator = "posterior", version = as.character(packageVersion("posterior")), cases = vals),
  auto_unbox = TRUE, digits = 15, pretty = TRUE), file.path(here, "mcmc_posterior_reference.json"))
