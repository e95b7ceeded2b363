package dev.authserver;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModuleDependency;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.DiagramOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions.DiagramStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package graph's rules (docs/architecture.md), checked by Spring Modulith over the compiled main classes: each
 * direct sub-package of {@code dev.authserver} is a module, the root package is visible to all of them.
 */
class ModularityTests {

	// Nobody imports the filter chains; only the filter chains import the pages.
	private static final Set<String> TOP_MODULES = Set.of("security", "web");

	private static final ApplicationModules modules = ApplicationModules.of(AuthServerApplication.class);

	@Test
	void verifyWhenModulesDependOnEachOtherThenNoCycleAndNoInternalType() {
		// Fails on a cycle between modules, on the use of a type in another module's sub-package (its internals),
		// and on a dependency that a module's @ApplicationModule(allowedDependencies) does not list.
		modules.verify();
	}

	@Test
	void dependenciesWhenFeatureUsesSecurityOrWebThenNone() {
		List<String> edges = modules.stream()
			.filter((module) -> !name(module).equals("security"))
			.flatMap((module) -> module.getDirectDependencies(modules).stream())
			.filter((dependency) -> TOP_MODULES.contains(name(dependency.getTargetModule())))
			.map(ModularityTests::describe)
			.distinct()
			.toList();
		assertThat(edges).as("features must not depend on security or web").isEmpty();
	}

	@Test
	void writeModulesAsPlantUmlWhenVerifiedThenDiagramInTarget() {
		// target/spring-modulith-docs/components.puml, committed as docs/modules.puml
		new Documenter(modules).writeModulesAsPlantUml(DiagramOptions.defaults().withStyle(DiagramStyle.UML));
	}

	private static String name(ApplicationModule module) {
		return module.getIdentifier().toString();
	}

	private static String describe(ApplicationModuleDependency dependency) {
		return dependency.getSourceType().getName() + " -> " + dependency.getTargetType().getName() + " ("
				+ dependency.getDependencyType() + ")";
	}

}
