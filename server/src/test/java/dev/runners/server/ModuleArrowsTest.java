package dev.runners.server;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The arrows between the modules (STYLE: server -> api, persistence -> domain), checked on the
 * compiled main classes of every module; they are all on the server's test class path.
 */
@AnalyzeClasses(packages = "dev.runners", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleArrowsTest {
    private static final String DOMAIN = "dev.runners.domain..";
    private static final String API = "dev.runners.api..";
    private static final String PERSISTENCE = "dev.runners.persistence..";
    private static final String SERVER = "dev.runners.server..";

    @ArchTest
    static final ArchRule domainIsPlainJavaAndKnowsNoOtherModule = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat(resideInAnyPackage(DOMAIN, "java..")
                    .and(not(resideInAnyPackage("java.sql..", "java.net.http.."))))
            .because("the domain is plain Java: no framework, no JDBC, no HTTP, no other module");

    @ArchTest
    static final ArchRule persistenceKnowsTheDomainButNothingOfHttp = noClasses()
            .that().resideInAPackage(PERSISTENCE)
            .should().dependOnClassesThat(resideInAnyPackage(API, SERVER, "jakarta.ws.rs..", "jakarta.json..",
                    "io.helidon.webserver..", "io.helidon.microprofile.."))
            .because("persistence knows the domain and nothing of HTTP");

    @ArchTest
    static final ArchRule apiKnowsTheDomainButNothingOfJdbc = noClasses()
            .that().resideInAPackage(API)
            .should().dependOnClassesThat(resideInAnyPackage(PERSISTENCE, SERVER, "java.sql..", "javax.sql..",
                    "io.helidon.dbclient..", "org.flywaydb.."))
            .because("the api is the HTTP surface as Java and knows the domain, nothing of JDBC");

    @ArchTest
    static final ArchRule nothingDependsOnTheServer = noClasses()
            .that(not(resideInAPackage(SERVER)))
            .should().dependOnClassesThat(resideInAPackage(SERVER))
            .because("the server assembles the modules; no module may reach back into it");

    @ArchTest
    static final ArchRule everyClassIsInOneOfTheModules = classes()
            .that().resideInAPackage("dev.runners..")
            .should().resideInAnyPackage(DOMAIN, API, PERSISTENCE, SERVER)
            .because("a package outside the four modules would escape the rules above");
}
