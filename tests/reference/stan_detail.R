#!/usr/bin/Rscript
# Per-parameter detail of the Stan peer runs (same models, data, seed and settings as
# ../shared/peers/mcmc/stan_peer.R): mean, MCSE of the mean, bulk/tail ESS, R-hat for EVERY
# parameter, plus adapted step sizes and mean n_leapfrog per chain. Used to diagnose ESS
# differences; output stored as tests/reference/stan_detail.json.
# usage: R_LIBS=/tmp/rlib Rscript tests/reference/stan_detail.R PEER_DIR [CASE ...] > stan_detail.json
suppressMessages({library(rstan); library(posterior)})
args <- commandArgs(TRUE)
here <- args[1]
source(file.path(here, "models.stan.R"))
dat <- function(f) read.csv(file.path(here, "data", f))
cases <- list(
  gauss100 = function() list(D = 100L),
  logistic = function() { d <- dat("logistic.csv"); list(N = nrow(d), K = 5L, X = as.matrix(d[, 1:5]), y = d$y) },
  eight_schools = function() { d <- dat("eight_schools.csv"); list(J = nrow(d), y = d$y, sigma = d$sigma) },
  bradley_terry = function() { d <- dat("matches.csv"); list(P = 40L, M = nrow(d), winner = d$winner, loser = d$loser) },
  mixture = function() { d <- dat("mixture.csv"); list(N = nrow(d), y = d$y) })
names_to_run <- if (length(args) > 1) args[-1] else names(cases)
out <- list()
for (name in names_to_run) {
  m <- stan_model(model_code = stan_models[[name]], model_name = name)
  fit <- sampling(m, data = cases[[name]](), chains = 4, iter = 2000, warmup = 1000, seed = 1, cores = 2, refresh = 0)
  d <- as_draws_array(as.array(fit))
  d <- subset_draws(d, variable = setdiff(variables(d), "lp__"))
  s <- summarise_draws(d, mean, mcse_mean, ess_bulk, ess_tail, rhat)
  sp <- get_sampler_params(fit, inc_warmup = FALSE)
  out[[name]] <- list(
    params = setNames(lapply(seq_len(nrow(s)), function(i) as.list(s[i, -1])), s$variable),
    stepsize = sapply(sp, function(x) x[1, "stepsize__"]),
    mean_n_leapfrog = sapply(sp, function(x) mean(x[, "n_leapfrog__"])),
    elapsed = get_elapsed_time(fit))
}
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = 8, pretty = TRUE))
