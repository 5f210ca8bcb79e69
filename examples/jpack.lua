-- Lmod modulefile for jpack. Install the release archive into a shared prefix, e.g.
--   tar -xzf jpack-0.1.0-bin.tar.gz -C /apps/jpack/0.1.0 --strip-components=1
--   /apps/jpack/0.1.0/bin/jpack --version      # as the installing user: writes the CDS archive
-- and put this file at $MODULEPATH/jpack/0.1.0.lua. jpack needs Java 17 or newer.
help([[
jpack: xargs for job packing. Runs a command for every line of a task list, many at once,
inside one PBS or Slurm job; restartable with --joblog and --resume. See man jpack.
]])
whatis("Name: jpack")
whatis("Version: 0.1.0")
whatis("Description: xargs-compatible job-packing runner for HPC batch allocations")

local prefix = "/apps/jpack/0.1.0"
-- depends_on("java/17")   -- uncomment if Java comes from a module at your centre
prepend_path("PATH", pathJoin(prefix, "bin"))
prepend_path("MANPATH", pathJoin(prefix, "share/man"))
-- Bash completion: sourced by interactive shells that load the module.
if (mode() == "load" and myShellName() == "bash") then
  execute{cmd="source " .. pathJoin(prefix, "share/bash-completion/completions/jpack"),
          modeA={"load"}}
end
