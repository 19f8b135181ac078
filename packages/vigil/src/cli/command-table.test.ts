import { describe, expect, it } from "vitest";
import { COMMANDS } from "./command-table.js";
import { createProgram } from "./create-program.js";
import { createProgramFor, requestedCommand } from "./main.js";
import { createBaseProgram } from "./run-program.js";

describe("the static command table", () => {
  it("lists every command, in order, as the commands themselves describe them", () => {
    const program = createProgram();
    const help = program.createHelp();
    const real = program.commands.map((c) => [c.name(), help.subcommandTerm(c), c.description()]);
    const table = Object.entries(COMMANDS).map(([name, e]) => [name, e.term, e.description]);
    expect(table).toEqual(real);
  });

  it("loads the module that registers each command", async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const program = createBaseProgram();
      (await entry.register())(program);
      expect(program.commands.map((c) => c.name()), name).toEqual([name]);
    }
  });
});

describe("lazy programs", () => {
  it("finds the command after global options, and after help", () => {
    expect(requestedCommand(["node", "vigil", "--debug", "scan", "-f", "json", "x"])).toBe("scan");
    expect(requestedCommand(["node", "vigil", "help", "repo"])).toBe("repo");
    expect(requestedCommand(["node", "vigil", "--help"])).toBeUndefined();
    expect(requestedCommand(["node", "vigil", "sacn"])).toBeUndefined();
  });

  it("prints the same program help as the whole program", async () => {
    const lazy = await createProgramFor(["node", "vigil", "--help"]);
    expect(lazy.helpInformation()).toBe(createProgram().helpInformation());
  });

  it("registers the requested command for real, with the same help", async () => {
    for (const name of Object.keys(COMMANDS)) {
      const lazy = await createProgramFor(["node", "vigil", name, "--help"]);
      const real = createProgram();
      const pick = (p: typeof real) => p.commands.find((c) => c.name() === name)!;
      expect(pick(lazy).helpInformation(), name).toBe(pick(real).helpInformation());
      expect(lazy.helpInformation(), name).toBe(real.helpInformation());
    }
  });
});
