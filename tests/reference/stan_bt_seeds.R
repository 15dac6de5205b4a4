# Seed-to-seed spread of Stan's smallest bulk ESS on bradley_terry (to judge ESS-per-gradient comparisons).
suppressMessages({library(rstan); library(posterior)})
here <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "../../../shared/peers/mcmc")
source(file.path(here, "models.stan.R"))
d <- read.csv(file.path(here, "data", "matches.csv"))
m <- stan_model(model_code = stan_models[["bradley_terry"]], model_name = "bt")
seeds <- if (length(commandArgs(TRUE)) > 0) as.integer(commandArgs(TRUE)) else 2:6
for (seed in seeds) {
  fit <- sampling(m, data = list(P = 40L, M = nrow(d), winner = d$winner, loser = d$loser), chains = 4, iter = 2000, warmup = 1000, seed = seed, cores = 2, refresh = 0)
  dr <- as_draws_array(as.array(fit)); dr <- subset_draws(dr, variable = setdiff(variables(dr), "lp__"))
  s <- summarise_draws(dr, ess_bulk)
  sp <- get_sampler_params(fit, inc_warmup = FALSE)
  g <- sum(sapply(sp, function(x) sum(x[, "n_leapfrog__"])))
  cat(seed, min(s$ess_bulk), s$variable[which.min(s$ess_bulk)], g, min(s$ess_bulk) / g, "\n")
}
